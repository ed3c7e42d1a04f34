//! A real `yimi serve` on an ephemeral port (`--bind 127.0.0.1:0`, the address read from its
//! first line), spoken to with a small HTTP/1.1 client over a socket: shared by tests/serve.rs
//! and tests/serve_limits.rs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

pub struct Server {
    pub child: Child,
    pub address: String,
    pub stderr: Option<std::process::ChildStderr>,
    /// The `--token` it was started with, to read a logged-in page's form token.
    pub token: Option<String>,
    /// The form tokens its pages carry (the login page's, the other pages'), read once.
    login_form_token: std::sync::OnceLock<String>,
    page_form_token: std::sync::OnceLock<String>,
}

impl Server {
    /// Starts `yimi serve` with `args`, judging files without a decision date at 2025-06-30
    /// so that results do not depend on the clock.
    pub fn start(args: &[&str]) -> Server {
        // The load test may run a release build against this (debug) client.
        let program = std::env::var_os("YIMI_SERVE_BINARY")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_yimi").into());
        let mut command = Command::new(program);
        command.arg("serve");
        if !args.contains(&"--as-of") {
            command.args(["--as-of", "2025-06-30"]);
        }
        if !args.contains(&"--bind") {
            command.args(["--bind", "127.0.0.1:0"]);
        }
        let mut child = command
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("yimi serve starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the address is printed");
        let address = line
            .trim()
            .strip_prefix("yimi serve: http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line `{line}`"))
            .to_owned();
        let stderr = child.stderr.take();
        let token = args
            .windows(2)
            .find(|pair| pair[0] == "--token")
            .map(|pair| pair[1].to_owned());
        Server {
            child,
            address,
            stderr,
            token,
            login_form_token: std::sync::OnceLock::new(),
            page_form_token: std::sync::OnceLock::new(),
        }
    }

    /// The form token a page of this server gives a form that posts to `path`, as a browser
    /// reads it from the page: the login page's for `/login`, else the home page's (read with
    /// the token, when the server has one). Every post must carry it.
    pub fn form_token(&self, path: &str) -> String {
        let read = |headers: &[(&str, &str)]| {
            let page = self.request("GET", "/", headers, b"").text();
            form_token_of(&page).unwrap_or_else(|| panic!("a form token in {page}"))
        };
        if path == "/login" {
            self.login_form_token.get_or_init(|| read(&[])).clone()
        } else {
            self.page_form_token
                .get_or_init(|| match &self.token {
                    Some(token) => read(&[("Authorization", &format!("Bearer {token}"))]),
                    None => read(&[]),
                })
                .clone()
        }
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        let stream = TcpStream::connect(&self.address).expect("the server accepts");
        self.request_on(stream, method, path, headers, body)
    }

    /// A request from the loopback address `source` (`127.0.0.N`), as a client that rotates its
    /// address sends it.
    pub fn request_from(
        &self,
        source: std::net::Ipv4Addr,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
            .expect("a socket");
        socket
            .bind(&std::net::SocketAddr::from((source, 0)).into())
            .expect("a loopback address binds");
        let server: std::net::SocketAddr = self.address.parse().expect("an address");
        socket.connect(&server.into()).expect("the server accepts");
        self.request_on(socket.into(), method, path, headers, body)
    }

    fn request_on(
        &self,
        mut stream: TcpStream,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        // The server's own address as the Host, unless the test names another.
        let host = if headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("host"))
        {
            String::new()
        } else {
            format!("Host: {}\r\n", self.address)
        };
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\n{host}Connection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        // A server may answer before reading a body it refuses; a broken pipe is then fine.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        Response::parse(&raw)
    }

    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], b"")
    }

    /// Posts `parts` as a browser posts a form of this server's page: with the page's form token
    /// first, unless the parts name one.
    pub fn post_multipart(&self, path: &str, parts: &[Part<'_>]) -> Response {
        let boundary = "yimi-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        let form_token = self.form_token(path);
        let given = parts
            .iter()
            .any(|part| matches!(part, Part::Text("form_token", _)));
        let first = (!given).then_some(Part::Text("form_token", &form_token));
        for part in first.iter().chain(parts) {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match part {
                Part::Text(name, value) => {
                    body.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                            .as_bytes(),
                    );
                    body.extend_from_slice(value.as_bytes());
                }
                Part::File(name, file_name, bytes) => {
                    body.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    body.extend_from_slice(bytes);
                }
            }
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.request("POST", path, &[("Content-Type", &content_type)], &body)
    }

    /// Posts `fields` urlencoded, with the page's form token first unless they name one.
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let form_token = self.form_token(path);
        let first = (!fields.iter().any(|(name, _)| *name == "form_token"))
            .then_some(("form_token", form_token.as_str()));
        let body: Vec<String> = first
            .iter()
            .chain(fields)
            .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
            .collect();
        self.request(
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.join("&").as_bytes(),
        )
    }

    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut text = String::new();
        if let Some(mut stderr) = self.stderr.take() {
            let _ = stderr.read_to_string(&mut text);
        }
        text
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The form token a page carries (the first form's).
pub fn form_token_of(page: &str) -> Option<String> {
    let (_, rest) = page.split_once("name=\"form_token\" value=\"")?;
    Some(rest.split_once('"')?.0.to_owned())
}

pub enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, &'a [u8]),
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn parse(raw: &[u8]) -> Response {
        let split = raw
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
            .expect("a response head");
        let head = String::from_utf8_lossy(&raw[..split]);
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|line| line.split(' ').nth(1))
            .and_then(|code| code.parse().ok())
            .expect("a status line");
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        let response = Response {
            status,
            headers,
            body: Vec::new(),
        };
        if response.header("transfer-encoding") == Some("chunked") {
            body = dechunk(&body);
        }
        Response { body, ..response }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&body[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 2 + size + 2..];
    }
}

pub fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!("examples/{name}")).expect("the example exists")
}

/// A zip of `entries` (name, bytes), deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Standard base64 with padding, as the download form carries files.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The length an answer's head announces and the body bytes in `raw`.
pub fn announced_and_came(raw: &[u8]) -> (usize, usize) {
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("the answer's head came");
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let announced = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|length| length.trim().parse().ok())
        .expect("a content length");
    (announced, raw.len() - split - 4)
}
