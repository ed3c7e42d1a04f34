//! `yimi serve`'s server-wide limits, over HTTP against a real server: the memory all checks in
//! flight may hold together (`--max-check-memory`, `--queue-timeout`), the time one check may
//! take (`--check-timeout`) and the pace a client must take a response at (`--min-send-rate`,
//! `--send-timeout`). No time is asserted: each limit is set small and each wait is long
//! beside it.

mod common;

use common::server::{Part, Response, Server, announced_and_came, base64, example, zip_of};

/// A Changchun residential project listing `count` childcare centres, each missing the keys
/// its rules read: a file that takes seconds to check in a debug build (hostile review R2's
/// shape, smaller).
fn facilities_missing_keys(count: usize) -> String {
    common::changchun_residential_listing(count, "{kind: childcare_centre}")
}

#[test]
fn a_submission_heavier_than_the_whole_check_memory_is_refused_at_once() {
    let park = example("sh-huangpu-park.yaml");
    // Room for the park, not for a file holding forty times its values (nor for a zip of one,
    // which is weighed by what it decompresses to).
    let budget = (yimi::serve::weight(&park) * 2).to_string();
    let server = Server::start(&["--max-check-memory", &budget, "--lang", "en"]);
    let ok = server.post_multipart("/check", &[Part::File("files", "park.yaml", &park)]);
    assert_eq!(ok.status, 200, "{}", ok.text());

    // Weighed by its values, aliases expanded: a list named ninety times holds ninety lists,
    // though it is written once (hostile review F1), and few bytes are added. (Ninety copies of
    // eleven values stay under the loader's alias floor: the file is read whole.)
    let mut large = park.clone();
    large.extend_from_slice(
        format!(
            "x-list: &l [{}]\nx-more: [{}]\n",
            ["q"; 10].join(","),
            vec!["*l"; 90].join(",")
        )
        .as_bytes(),
    );
    assert!(large.len() < park.len() + 1000);
    assert!(
        yimi::serve::weight(&large) > yimi::serve::weight(&park) * 2,
        "{} {}",
        yimi::serve::weight(&large),
        yimi::serve::weight(&park)
    );
    // A file as long, all comments, is no heavier than the park by much: it is checked.
    let mut comments = park.clone();
    comments.extend_from_slice(format!("# {}\n", "x".repeat(large.len() - park.len())).as_bytes());
    let ok = server.post_multipart("/check", &[Part::File("files", "comments.yaml", &comments)]);
    assert_eq!(ok.status, 200, "{}", ok.text());
    for (name, bytes) in [
        ("large.yaml", large.clone()),
        ("large.zip", zip_of(&[("large.yaml", &large[..])])),
    ] {
        let refused = server.post_multipart("/check", &[Part::File("files", name, &bytes)]);
        assert_eq!(refused.status, 413, "{name}: {}", refused.text());
        let text = refused.text();
        assert!(
            text.contains("more than the server gives all checks together")
                && text.contains("send fewer files at a time, or split a large file")
                && text.contains("whoever runs the server can raise the check memory limit"),
            "{name}: {text}"
        );
    }
    // In the page's language, and a download is weighed too.
    let refused = server.post_multipart(
        "/check",
        &[
            Part::Text("lang", "zh"),
            Part::File("files", "large.yaml", &large),
        ],
    );
    assert_eq!(refused.status, 413);
    assert!(
        refused.text().contains("超过本服务同时用于检查的全部内存"),
        "{}",
        refused.text()
    );
    let download = server.post_form(
        "/download",
        &[
            ("lang", "en"),
            ("format", "json"),
            ("name", "large.yaml"),
            ("b64", &base64(&large)),
        ],
    );
    assert_eq!(download.status, 413, "{}", download.text());
    // Refusing took nothing: the park is still checked.
    let again = server.post_multipart("/check", &[Part::File("files", "park.yaml", &park)]);
    assert_eq!(again.status, 200);
}

#[test]
fn a_file_the_loader_refuses_at_an_alias_weighs_little_and_gets_its_located_error() {
    // The hostile review's alias file: a list of 1 000 unknown values named by 190 facilities,
    // 190 000 values once expanded (over a gigabyte by values). The loader refuses it at the
    // second `*l`, and the server weighs only what the loader reads before that, so a small
    // check memory checks it and shows where and why, not a 413.
    let mut alias = format!("x-list: &l [{}]\n", vec!["q"; 1000].join(","));
    alias.push_str(&common::changchun_residential_listing(
        190,
        "{kind: public_toilet, includes: *l}",
    ));
    let budget = 32 * 1024 * 1024;
    assert!(yimi::serve::weight(alias.as_bytes()) < budget / 2);
    let server = Server::start(&["--max-check-memory", &budget.to_string(), "--lang", "en"]);
    for (name, bytes) in [
        ("alias.yaml", alias.clone().into_bytes()),
        ("alias.zip", zip_of(&[("alias.yaml", alias.as_bytes())])),
    ] {
        let response = server.post_multipart("/check", &[Part::File("files", name, &bytes)]);
        assert_eq!(response.status, 200, "{name}: {}", response.text());
        let text = response.text();
        // The first item is on line 16, the second on 17; `*l` is at column 37.
        assert!(text.contains("alias.yaml:17:37"), "{name}: {text}");
        assert!(
            text.contains(
                "aliases expand too far: up to alias <code>*l</code> they re-use 2002 values"
            ),
            "{name}: {text}"
        );
        assert!(text.contains("yaml::alias-expansion"), "{name}: {text}");
    }
}

#[test]
fn a_check_past_its_time_limit_stops_and_says_which_file_it_stopped_at() {
    // Thirty files of seconds each in a debug build, against a limit of one second.
    let heavy = facilities_missing_keys(5_000);
    let names: Vec<String> = (1..=30)
        .map(|number| format!("f{number:02}.yaml"))
        .collect();
    let entries: Vec<(&str, &[u8])> = names
        .iter()
        .map(|name| (name.as_str(), heavy.as_bytes()))
        .collect();
    let zip = zip_of(&entries);
    let server = Server::start(&[
        "--check-timeout",
        "1",
        "--timeout",
        "600",
        "--concurrent-checks",
        "1",
        "--queue-timeout",
        "600",
    ]);
    for lang in ["en", "zh"] {
        let stopped = server.post_multipart(
            "/check",
            &[
                Part::Text("lang", lang),
                Part::File("files", "many.zip", &zip),
            ],
        );
        assert_eq!(stopped.status, 413, "{}", stopped.text());
        let text = stopped.text();
        // The file it stopped at by its number and its name, which agree.
        let number: usize = match lang {
            "en" => text
                .split("the check stopped at file ")
                .nth(1)
                .and_then(|rest| rest.split(" of 30, ").next()),
            _ => text
                .split("检查在第 ")
                .nth(1)
                .and_then(|rest| rest.split(" 个文件").next()),
        }
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("{text}"));
        assert!((1..30).contains(&number), "{text}");
        let named = format!("<code>many.zip/f{number:02}.yaml</code>");
        let named_plain = format!("<code>f{number:02}.yaml</code>");
        assert!(
            text.contains(&named) || text.contains(&named_plain),
            "{text}"
        );
        let why = match lang {
            "en" => "the server gives one check at most 1 s",
            _ => "本服务一次检查最多用时 1 秒",
        };
        assert!(text.contains(why), "{text}");
    }
    // The stopped check gave its only slot back: the next one runs.
    let park = example("sh-huangpu-park.yaml");
    let ok = server.post_multipart("/check", &[Part::File("files", "park.yaml", &park)]);
    assert_eq!(ok.status, 200, "{}", ok.text());
}

#[test]
fn the_check_time_limit_is_a_number_of_seconds_from_one_to_a_day() {
    for value in ["0", "-1", "86401", "1.5", "18446744073709551615"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_yimi"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .arg(format!("--check-timeout={value}"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{value}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "`{value}` is not a number of seconds from 1 to 86400 (a day)"
            )) && stderr.contains("--check-timeout"),
            "{value}: {stderr}"
        );
    }
}

/// Posts `yaml` to `/check` from two clients at once and returns both answers.
fn two_at_once(server: &Server, yaml: &str) -> Vec<Response> {
    std::thread::scope(|scope| {
        let posts: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    server.post_multipart(
                        "/check",
                        &[Part::File("files", "heavy.yaml", yaml.as_bytes())],
                    )
                })
            })
            .collect();
        posts.into_iter().map(|post| post.join().unwrap()).collect()
    })
}

#[test]
fn checks_past_the_memory_budget_wait_their_turn_then_are_told_the_server_is_busy() {
    // Seconds of checking each in a debug build: the two posts overlap, whichever is first.
    let heavy = facilities_missing_keys(20_000);
    let weight = yimi::serve::weight(heavy.as_bytes());
    // Room for one of them, not two; as many check slots as there are posts, so that only
    // memory can make one wait.
    let budget = (weight + weight / 2).to_string();
    let limits = [
        "--max-check-memory",
        &budget,
        "--concurrent-checks",
        "4",
        "--timeout",
        "600",
        "--check-timeout",
        "600",
        "--lang",
        "en",
    ];

    // Waiting up to ten minutes, the second runs when the first is done.
    let patient = Server::start(&[&limits[..], &["--queue-timeout", "600"]].concat());
    for answer in two_at_once(&patient, &heavy) {
        assert_eq!(answer.status, 200, "{}", answer.text());
    }
    drop(patient);

    // Waiting a second, the second is told the server is busy, when to come back, in words.
    let hasty = Server::start(&[&limits[..], &["--queue-timeout", "1"]].concat());
    let mut answers = two_at_once(&hasty, &heavy);
    answers.sort_by_key(|answer| answer.status);
    assert_eq!(answers[0].status, 200, "{}", answers[0].text());
    let busy = &answers[1];
    assert_eq!(busy.status, 503, "{}", busy.text());
    assert_eq!(busy.header("retry-after"), Some("1"));
    assert!(
        busy.text()
            .contains("the server is busy checking other submissions"),
        "{}",
        busy.text()
    );
    // The budget came back with the check: the next one runs.
    let after = hasty.post_multipart(
        "/check",
        &[Part::File("files", "heavy.yaml", heavy.as_bytes())],
    );
    assert_eq!(after.status, 200, "{}", after.text());
}

/// A valid project followed by `lines` comment lines of 100 characters: cheap to check, but its
/// results page carries the file back (4 bytes for 3) with a little of its listing, so the page
/// is about one and a half times the file, far more than the kernel's socket buffers hold (at most 4 MiB sent and 128 KiB
/// received here, while the client does not read).
fn long_file(lines: usize) -> Vec<u8> {
    let mut text = example("sh-huangpu-park.yaml");
    for line in 0..lines {
        text.extend_from_slice(format!("# {line:08} {}\n", "x".repeat(89)).as_bytes());
    }
    text
}

/// Sends a `/check` of `file` and returns the connection without reading the answer.
fn check_without_reading(server: &Server, file: &[u8]) -> std::net::TcpStream {
    use std::io::Write;
    let boundary = "yimi-stalled-boundary";
    // The page's form token first, as a browser posts the form.
    let form_token = server.form_token("/check");
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"form_token\"\r\n\r\n{form_token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"long.yaml\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut stream = std::net::TcpStream::connect(&server.address).unwrap();
    let head = format!(
        "POST /check HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        server.address,
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body).unwrap();
    stream
}

/// Reads what is left of an answer; the length its head announced and the body bytes that came.
fn read_rest(mut stream: std::net::TcpStream) -> (usize, usize) {
    use std::io::Read;
    // Bounded: a server that kept the connection would send the rest within this.
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(120)))
        .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    announced_and_came(&raw)
}

#[test]
fn a_client_that_does_not_take_its_response_is_dropped_and_others_are_served() {
    let server = Server::start(&[
        "--min-send-rate",
        "65536",
        "--send-timeout",
        "3",
        "--timeout",
        "600",
        "--check-timeout",
        "600",
        "--max-file-size",
        "30000000",
        "--max-total-size",
        "30000000",
        "--lang",
        "en",
    ]);
    let file = long_file(150_000);
    // Four clients ask for a page of about 22 MB each and read nothing.
    let stalled: Vec<_> = (0..4)
        .map(|_| check_without_reading(&server, &file))
        .collect();
    // Others are served meanwhile.
    assert_eq!(server.get("/rules").status, 200);
    // Each page is made (seconds in a debug build) and its sending begins: its first bytes
    // wait in the client's socket, looked at, not taken.
    for stream in &stalled {
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(600)))
            .unwrap();
        let mut first = [0; 16];
        assert!(stream.peek(&mut first).unwrap() > 0, "no answer began");
    }
    let park = example("sh-huangpu-park.yaml");
    let ok = server.post_multipart("/check", &[Part::File("files", "park.yaml", &park)]);
    assert_eq!(ok.status, 200, "{}", ok.text());
    // Long past the send timeout (3 s) and the rate's window (5 s).
    std::thread::sleep(std::time::Duration::from_secs(20));
    for stream in stalled {
        let (announced, came) = read_rest(stream);
        assert!(announced > 20_000_000, "the page is {announced} bytes");
        // Only what the kernel had buffered came: the server dropped the connection.
        assert!(
            came < announced / 3,
            "{came} of {announced} bytes came: the connection was kept"
        );
    }
    let again = server.post_multipart("/check", &[Part::File("files", "park.yaml", &park)]);
    assert_eq!(again.status, 200);
}

#[test]
fn a_client_that_reads_steadily_gets_its_whole_response() {
    use std::io::Read;
    let server = Server::start(&[
        "--min-send-rate",
        "65536",
        "--check-timeout",
        "600",
        "--max-file-size",
        "30000000",
        "--max-total-size",
        "30000000",
        "--lang",
        "en",
    ]);
    let file = long_file(60_000);
    let mut stream = check_without_reading(&server, &file);
    // 64 KiB every 50 ms: some 1.3 MB a second, twenty times the minimum, with pauses.
    let mut raw = Vec::new();
    let mut chunk = vec![0; 64 * 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => raw.extend_from_slice(&chunk[..read]),
            Err(error) => panic!("{error}"),
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let response = Response::parse(&raw);
    assert_eq!(response.status, 200);
    let announced: usize = response.header("content-length").unwrap().parse().unwrap();
    assert!(announced > 8_000_000, "the page is {announced} bytes");
    assert_eq!(response.body.len(), announced);
}
