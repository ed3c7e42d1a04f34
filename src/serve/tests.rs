use std::io::Write;

use super::form::{Values, to_yaml, values_from_yaml};
use super::guard::same_secret;
use super::upload::{UploadLimits, base64_decode, base64_encode, budget, unzip};

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn base64_round_trips_every_length() {
    for length in 0..20 {
        let bytes: Vec<u8> = (0..length).map(|i| (i * 37 + 200) as u8).collect();
        assert_eq!(base64_decode(&base64_encode(&bytes)).unwrap(), bytes);
    }
    assert_eq!(base64_encode(b"yimi"), "eWltaQ==");
    assert!(base64_decode("not base64!").is_none());
    // Lengths no encoding has, and padding where none belongs.
    for damaged in ["Q", "QUJDR", "Q===", "QQ=", "QUJD=", "=="] {
        assert!(base64_decode(damaged).is_none(), "{damaged}");
    }
    assert_eq!(base64_decode("QQ").unwrap(), b"A");
}

#[test]
fn secrets_compare_whole() {
    assert!(same_secret(b"s3cret", b"s3cret"));
    assert!(!same_secret(b"s3cre", b"s3cret"));
    assert!(!same_secret(b"s3cret!", b"s3cret"));
    assert!(!same_secret(b"", b"s3cret"));
    assert!(!same_secret(b"S3cret", b"s3cret"));
}

#[test]
fn a_zip_gives_its_yaml_files_in_name_order() {
    let bytes = zip_of(&[
        ("b/two.yml", b"yimi: 1\n"),
        ("a/one.yaml", b"yimi: 1\n"),
        ("notes.txt", b"left out"),
    ]);
    let files = unzip("folder.zip", &bytes, &mut budget(UploadLimits::default()))
        .unwrap()
        .files;
    let names: Vec<&str> = files.iter().map(|file| file.name.as_str()).collect();
    assert_eq!(names, ["a/one.yaml", "b/two.yml"]);
}

/// Hostile review 9 R3: a zip entry is named as an upload is (control characters dropped, so a
/// line feed cannot start a line of the page with `::`), and a name longer than what is shown
/// is still a YAML file by its whole name.
#[test]
fn zip_entries_are_named_without_control_characters_and_long_names_are_kept() {
    let long = format!("{}.yaml", "e".repeat(230));
    let bytes = zip_of(&[
        ("b\n::warning::x.yaml", b"yimi: 1\n"),
        ("c\u{1b}]0;t\u{7}.yml", b"yimi: 1\n"),
        (&long, b"yimi: 1\n"),
    ]);
    let files = unzip("names.zip", &bytes, &mut budget(UploadLimits::default()))
        .unwrap()
        .files;
    let names: Vec<&str> = files.iter().map(|file| file.name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&"b::warning::x.yaml"), "{names:?}");
    assert!(names.contains(&"c]0;t.yml"), "{names:?}");
    assert!(names.contains(&long.as_str()), "{names:?}");
    for name in names {
        assert!(!name.chars().any(char::is_control), "{name:?}");
    }
}

#[test]
fn a_zip_entry_outside_the_folder_is_refused() {
    let bytes = zip_of(&[("../evil.yaml", b"yimi: 1\n")]);
    let error = unzip("folder.zip", &bytes, &mut budget(UploadLimits::default())).unwrap_err();
    assert!(
        error.en.contains("points outside the folder"),
        "{}",
        error.en
    );
}

#[test]
fn a_zip_bomb_is_refused_by_what_it_decompresses_to() {
    // 64 MiB of zeros compress to a few tens of kilobytes.
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let bytes = zip_of(&[("bomb.yaml", &zeros)]);
    assert!(bytes.len() < 1024 * 1024);
    let limits = UploadLimits {
        max_file_bytes: 1024 * 1024,
        ..UploadLimits::default()
    };
    let error = unzip("bomb.zip", &bytes, &mut budget(limits)).unwrap_err();
    assert!(
        error
            .en
            .contains("larger than the limit of 1048576 bytes a file"),
        "{}",
        error.en
    );
}

#[test]
fn a_zip_with_too_many_files_is_refused() {
    let entries: Vec<(String, &[u8])> = (0..5)
        .map(|i| (format!("p{i}.yaml"), &b"yimi: 1\n"[..]))
        .collect();
    let borrowed: Vec<(&str, &[u8])> = entries.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let limits = UploadLimits {
        max_files: 4,
        ..UploadLimits::default()
    };
    let error = unzip("many.zip", &zip_of(&borrowed), &mut budget(limits)).unwrap_err();
    assert!(error.en.contains("at most 4 files"), "{}", error.en);
}

#[test]
fn not_a_zip_says_so() {
    let error = unzip(
        "x.zip",
        b"PK\x03\x04 broken",
        &mut budget(UploadLimits::default()),
    )
    .unwrap_err();
    assert!(
        error.en.contains("is not a readable zip file"),
        "{}",
        error.en
    );
}

fn values(pairs: &[(&str, &str)]) -> Values {
    let mut values = Values::new();
    for (key, value) in pairs {
        values
            .entry((*key).to_owned())
            .or_default()
            .push((*value).to_owned());
    }
    values
}

#[test]
fn the_form_builds_yaml_in_model_order_with_typed_values() {
    let yaml = to_yaml(&values(&[
        ("site.area_m2", "12000"),
        ("project.kind", "residential"),
        ("project.id", "P-1"),
        ("yimi", "1"),
        ("project.major", "true"),
        ("facilities.1.kind", "playground"),
        ("facilities.1.area_m2", "250.5"),
        ("facilities.0.kind", ""),
        ("site.green_area_m2", "many"),
    ]));
    let body: Vec<&str> = yaml.lines().skip(1).collect();
    assert_eq!(
        body,
        [
            "yimi: 1",
            "project:",
            "  id: P-1",
            "  kind: residential",
            "  major: true",
            "site:",
            "  area_m2: 12000",
            "  green_area_m2: many",
            "facilities:",
            "- kind: playground",
            "  area_m2: 250.5",
        ]
    );
}

#[test]
fn yaml_loads_into_the_values_it_was_built_from() {
    let original = values(&[
        ("yimi", "1"),
        ("project.id", "P-1"),
        ("project.kind", "residential"),
        ("project.name", "<script>alert(1)</script>"),
        ("project.named_places", "甲\n乙"),
        ("facilities.0.kind", "playground"),
        ("facilities.0.area_m2", "250.5"),
    ]);
    let yaml = to_yaml(&original);
    let loaded = values_from_yaml("p.yaml", yaml.as_bytes(), Default::default());
    assert_eq!(loaded, original);
}

/// Text typed in the form that other YAML readers take for a number (`12_000`, a time `8:30`,
/// `0B1`) is written quoted: plain, the check refused the form's own file (`project::number-form`),
/// and a YAML 1.1 reader of the download read numbers (hostile review 14 H9).
#[test]
fn text_that_reads_as_a_number_elsewhere_is_quoted() {
    let original = values(&[
        ("yimi", "1"),
        ("project.id", "12_000"),
        ("project.name", "8:30"),
        ("project.kind", "residential"),
        ("project.jurisdiction", "CN/SH/Pudong"),
        ("site.name", "0B1"),
    ]);
    let yaml = to_yaml(&original);
    for quoted in ["id: \"12_000\"", "name: \"8:30\"", "  name: \"0B1\""] {
        assert!(yaml.contains(quoted), "{quoted}: {yaml}");
    }
    let loaded = values_from_yaml("p.yaml", yaml.as_bytes(), Default::default());
    assert_eq!(loaded, original);
    let project = crate::project::load_bytes("p.yaml", yaml.as_bytes(), Default::default());
    assert!(project.is_ok(), "{yaml}");
}

/// A list stated empty (`includes: []`) is a fact: it survives the form, and the YAML the form
/// builds states it again (leaving it out would turn a failure into missing evidence).
#[test]
fn a_list_stated_empty_survives_the_form() {
    let yaml = "yimi: 1\nproject: {id: P-1, kind: park, jurisdiction: CN/JL}\nfacilities:\n  - kind: family_toilet\n    includes: []\nsurroundings:\n  school_gates: []\n";
    let loaded = values_from_yaml("p.yaml", yaml.as_bytes(), Default::default());
    assert_eq!(
        loaded.get("facilities.0.includes.__none"),
        Some(&vec!["1".to_owned()])
    );
    let rebuilt = to_yaml(&loaded);
    assert!(rebuilt.contains("includes: []"), "{rebuilt}");
    assert!(rebuilt.contains("school_gates: []"), "{rebuilt}");
    // Unticked, the list is silent again.
    let mut unticked = loaded.clone();
    unticked.remove("facilities.0.includes.__none");
    assert!(
        !to_yaml(&unticked).contains("includes"),
        "{}",
        to_yaml(&unticked)
    );
}

pub(crate) fn options(data_dir: Option<&str>) -> super::ServeOptions {
    super::ServeOptions {
        bind: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        token: None,
        check: crate::engine::checked::CheckOptions::default(),
        lang: crate::base::i18n::Lang::Zh,
        data_dir: data_dir.map(std::path::PathBuf::from),
        upload: UploadLimits::default(),
        timeout: std::time::Duration::from_secs(30),
        body_timeout: std::time::Duration::from_secs(30),
        min_body_rate: 8192,
        concurrent_checks: 1,
        max_check_memory: 1 << 30,
        queue_timeout: std::time::Duration::from_secs(10),
        check_timeout: std::time::Duration::from_secs(20),
        min_send_rate: 8192,
        send_timeout: std::time::Duration::from_secs(300),
        concurrent_uploads: 1,
        max_connections: 1,
        header_timeout: std::time::Duration::from_secs(10),
        data_dir_max_bytes: 1 << 20,
        allowed_hosts: Vec::new(),
    }
}

#[test]
fn the_footer_says_whether_submissions_are_kept_from_the_options() {
    use super::page::layout;
    use crate::base::i18n::Lang;
    // Two servers' options side by side in one process: each page says what its own does.
    let keeping = layout(&options(Some("/kept")), Lang::En, "t", "/", "");
    let not_keeping = layout(&options(None), Lang::En, "t", "/", "");
    assert!(keeping.contains("submissions are kept on the computer that runs it"));
    assert!(!keeping.contains("submissions are not kept"));
    assert!(not_keeping.contains("submissions are not kept"));
    let keeping = layout(&options(Some("/kept")), Lang::Zh, "t", "/", "");
    assert!(keeping.contains("提交的材料保存在运行本服务的计算机上"));
}

#[test]
fn a_zip_with_two_entries_of_one_name_is_refused_naming_it() {
    // Written as `p.yaml` and `q.yaml`, then renamed alike in the local and central headers:
    // the zip crate would keep only the last, and an unzip tool either (hostile review 14 H4).
    let mut bytes = zip_of(&[("d/p.yaml", b"yimi: 1\n"), ("d/q.yaml", b"yimi: 2\n")]);
    for at in 0..bytes.len().saturating_sub(8) {
        if bytes.get(at..at + 8) == Some(b"d/q.yaml".as_slice()) {
            bytes[at + 2] = b'p';
        }
    }
    let error = unzip("dup.zip", &bytes, &mut budget(UploadLimits::default())).unwrap_err();
    assert_eq!(
        error.en,
        "`dup.zip` holds two entries named `d/p.yaml`: an unzip tool may keep either, so which one would be checked is unclear; zip the folder of the project files again and upload that"
    );
    // Names that differ are read, each once.
    let bytes = zip_of(&[("d/p.yaml", b"yimi: 1\n"), ("d/q.yaml", b"yimi: 2\n")]);
    let files = unzip("two.zip", &bytes, &mut budget(UploadLimits::default())).unwrap();
    assert_eq!(files.files.len(), 2);
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// An entry of [`raw_zip`]: its name's bytes, its flags, its extra field and its content.
type RawEntry<'a> = (&'a [u8], u16, &'a [u8], &'a [u8]);

/// A stored (uncompressed) zip written byte by byte: each entry's name as raw bytes, its
/// general-purpose flags (bit 11: the name is UTF-8) and its extra field, so that a test can
/// write what a zip library would not.
fn raw_zip(entries: &[RawEntry<'_>], comment: &[u8]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, flags, extra, data) in entries {
        let offset = out.len() as u32;
        let (crc, size) = (crc32(data), data.len() as u32);
        let common = |out: &mut Vec<u8>| {
            out.extend_from_slice(&20u16.to_le_bytes());
            out.extend_from_slice(&flags.to_le_bytes());
            out.extend_from_slice(&[0, 0, 0, 0, 0x21, 0]);
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        };
        out.extend_from_slice(b"PK\x03\x04");
        common(&mut out);
        out.extend_from_slice(name);
        out.extend_from_slice(extra);
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02\x14\x03");
        common(&mut central);
        // No comment, disk 0, no internal attributes.
        central.extend_from_slice(&[0; 6]);
        central.extend_from_slice(&0o100644u32.wrapping_shl(16).to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
        central.extend_from_slice(extra);
    }
    let (start, size) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    let count = (entries.len() as u16).to_le_bytes();
    out.extend_from_slice(&count);
    out.extend_from_slice(&count);
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&(comment.len() as u16).to_le_bytes());
    out.extend_from_slice(comment);
    out
}

const UTF8: u16 = 1 << 11;

/// Hostile review 15 X2: each of these zips holds a failing `p.yaml` and a second entry the zip
/// crate names alike; the crate kept one and the page said "pass". Each is refused now.
#[test]
fn a_zip_whose_entries_read_as_one_name_is_refused_however_it_is_written() {
    let (fail, pass): (&[u8], &[u8]) = (b"yimi: 1\nfails: yes\n", b"yimi: 1\npasses: yes\n");
    let plain = raw_zip(&[(b"p.yaml", 0, b"", fail), (b"p.yaml", 0, b"", pass)], b"");
    // Bytes before the zip, as a self-extracting archive has.
    let mut prefixed = vec![b'X'; 100];
    prefixed.extend_from_slice(&plain);
    // A comment holding a fake end record, found first by a search from the end.
    let mut fake_end = b"PK\x05\x06".to_vec();
    fake_end.extend_from_slice(&[0xff; 18]);
    let commented = raw_zip(
        &[(b"p.yaml", 0, b"", fail), (b"p.yaml", 0, b"", pass)],
        &fake_end,
    );
    // `é.yaml` in CP437 (no UTF-8 flag) and in UTF-8.
    let cp437 = raw_zip(
        &[
            (b"\x82.yaml", 0, b"", fail),
            ("é.yaml".as_bytes(), UTF8, b"", pass),
        ],
        b"",
    );
    // `q.yaml` with an Info-ZIP Unicode path field that says `p.yaml`.
    let mut unicode_path = vec![0x75, 0x70, 11, 0, 1];
    unicode_path.extend_from_slice(&crc32(b"q.yaml").to_le_bytes());
    unicode_path.extend_from_slice(b"p.yaml");
    let upath = raw_zip(
        &[
            (b"p.yaml", 0, b"", fail),
            (b"q.yaml", 0, &unicode_path, pass),
        ],
        b"",
    );
    for (name, bytes, says) in [
        ("plain.zip", &plain, "holds two entries named `p.yaml`"),
        (
            "prefixed.zip",
            &prefixed,
            "holds two entries named `p.yaml`",
        ),
        (
            "commented.zip",
            &commented,
            "holds two entries named `p.yaml`",
        ),
        (
            "cp437.zip",
            &cp437,
            "lists 2 entries in its index, some of which read as the same name (1 different in all)",
        ),
        (
            "upath.zip",
            &upath,
            "lists 2 entries in its index, some of which read as the same name (1 different in all)",
        ),
    ] {
        let error = unzip(name, bytes, &mut budget(UploadLimits::default())).unwrap_err();
        assert!(error.en.contains(says), "{name}: {}", error.en);
        assert!(
            error.en.contains("an unzip tool may keep either"),
            "{}",
            error.en
        );
    }
    // The control: the same zips with two names are read whole, as the crate reads them.
    for (bytes, names) in [
        (
            raw_zip(
                &[(b"p.yaml", 0, b"", fail), (b"q.yaml", 0, b"", pass)],
                &fake_end,
            ),
            ["p.yaml", "q.yaml"],
        ),
        (
            raw_zip(
                &[
                    (b"\x82.yaml", 0, b"", fail),
                    ("e.yaml".as_bytes(), UTF8, b"", pass),
                ],
                b"",
            ),
            ["e.yaml", "é.yaml"],
        ),
    ] {
        let mut prefixed = vec![b'X'; 100];
        prefixed.extend_from_slice(&bytes);
        for bytes in [bytes, prefixed] {
            let files = unzip("two.zip", &bytes, &mut budget(UploadLimits::default()))
                .unwrap()
                .files;
            let read: Vec<&str> = files.iter().map(|file| file.name.as_str()).collect();
            assert_eq!(read, names);
        }
    }
}

/// Names an unzip tool on Windows or macOS makes into one file are refused, naming both; names
/// that stay two files are read (hostile review 15 X2 and its nits).
#[test]
fn zip_entries_that_would_unzip_to_one_file_are_refused() {
    for (first, second) in [
        ("P.yaml", "p.yaml"),
        ("d\\a.yaml", "d/a.yaml"),
        ("./a.yaml", "a.yaml"),
        ("d//a.yaml", "d/a.yaml"),
        ("d/../a.yaml", "a.yaml"),
        ("é.yaml", "e\u{301}.yaml"),
        ("D/Ä.yaml", "d/a\u{308}.YAML"),
        // Hostile review 16 Y1: letters with one uppercase.
        ("\u{17f}.yaml", "s.yaml"),
        ("\u{3c2}.yaml", "\u{3c3}.yaml"),
        ("d/\u{212a}.yaml", "d/k.yaml"),
        // Y2: a folder's name with dots or blanks at its end.
        ("d./a.yaml", "d/a.yaml"),
        ("d ./a.yaml", "d/a.yaml"),
        ("x/d../a.yaml", "x/d/a.yaml"),
    ] {
        // Written as given: a zip library would make `\` a `/`.
        let bytes = raw_zip(
            &[
                (first.as_bytes(), UTF8, b"", b"yimi: 1\n"),
                (second.as_bytes(), UTF8, b"", b"yimi: 2\n"),
            ],
            b"",
        );
        let error = unzip("two.zip", &bytes, &mut budget(UploadLimits::default())).unwrap_err();
        assert!(
            error.en.contains("which unzip to one file"),
            "{first} {second}: {}",
            error.en
        );
    }
    let error = unzip(
        "two.zip",
        &zip_of(&[("é.yaml", b"yimi: 1\n"), ("e\u{301}.yaml", b"yimi: 2\n")]),
        &mut budget(UploadLimits::default()),
    )
    .unwrap_err();
    assert!(
        error.en.contains("`é.yaml` and `e\\u{301}.yaml`"),
        "{}",
        error.en
    );
    let files = unzip(
        "two.zip",
        &zip_of(&[
            ("a/p.yaml", b"yimi: 1\n"),
            ("b/p.yaml", b"yimi: 2\n"),
            ("é.yaml", b"yimi: 3\n"),
            ("e.yaml", b"yimi: 4\n"),
            // Folders of one name in two cases merge, their files do not collide.
            ("D/", b""),
            ("d/", b""),
            ("D/x.yaml", b"yimi: 5\n"),
            ("d/y.yaml", b"yimi: 6\n"),
        ]),
        &mut budget(UploadLimits::default()),
    )
    .unwrap()
    .files;
    assert_eq!(files.len(), 6);
}

/// Hostile review 15 X3: entries named like project files but not taken are given back to be
/// said; a zip holding only such entries is refused naming one.
#[test]
fn zip_entries_that_only_look_like_project_files_are_given_back() {
    let bytes = zip_of(&[
        ("ok.yaml", b"yimi: 1\n"),
        ("bad.yaml ", b"yimi: 1\n"),
        ("d/bad2.yaml.", b"yimi: 1\n"),
        ("bad3.yaml\u{200b}", b"yimi: 1\n"),
        ("bad4.y\u{430}ml", b"yimi: 1\n"),
        ("notes.txt", b"left out"),
    ]);
    let unzipped = unzip("mixed.zip", &bytes, &mut budget(UploadLimits::default())).unwrap();
    let names: Vec<&str> = unzipped.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["ok.yaml"]);
    assert_eq!(
        unzipped.skipped,
        [
            "bad.yaml ",
            "bad3.yaml\u{200b}",
            "bad4.y\u{430}ml",
            "d/bad2.yaml."
        ]
    );
    let error = unzip(
        "only.zip",
        &zip_of(&[("bad.yaml ", b"yimi: 1\n")]),
        &mut budget(UploadLimits::default()),
    )
    .unwrap_err();
    assert!(
        error
            .en
            .contains("holds no `*.yaml` or `*.yml` files; `bad.yaml\\u{20}` is named like one"),
        "{}",
        error.en
    );
}

/// A name said to be UTF-8 but not is shown with its bytes written `\xNN`, as `check` shows
/// such a file's name, not as `�`; two such names are two files (hostile review 15, nits).
#[test]
fn a_zip_entry_whose_name_is_not_utf8_is_shown_by_its_bytes() {
    let bytes = raw_zip(
        &[
            (b"d\\a\xff\xfe.yaml", UTF8, b"", b"yimi: 1\n"),
            (b"ok.yaml", UTF8, b"", b"yimi: 1\n"),
        ],
        b"",
    );
    let files = unzip("bytes.zip", &bytes, &mut budget(UploadLimits::default()))
        .unwrap()
        .files;
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["d/a\\xff\\xfe.yaml", "ok.yaml"]);
    // Carried by the page's forms as shown.
    assert_eq!(
        super::upload::carried_name("d/a\\xff\\xfe.yaml"),
        "d/a\\xff\\xfe.yaml"
    );
    // Two names the zip crate reads alike (`�.yaml`) are refused, not one of them dropped.
    let twins = raw_zip(
        &[
            (b"\xff.yaml", UTF8, b"", b"yimi: 1\n"),
            (b"\xfe.yaml", UTF8, b"", b"yimi: 2\n"),
        ],
        b"",
    );
    let error = unzip("twins.zip", &twins, &mut budget(UploadLimits::default())).unwrap_err();
    assert!(
        error.en.contains(
            "lists 2 entries in its index, some of which read as the same name (1 different in all)"
        ),
        "{}",
        error.en
    );
}

/// A check's thread ends with it: what the check kept on its thread is dropped before the
/// server goes on (hostile review 20 Z2), the result comes back, and a panic reaches the caller.
#[test]
fn a_check_runs_on_a_thread_that_ends_with_it() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static DROPPED: AtomicBool = AtomicBool::new(false);
    struct Kept;
    impl Drop for Kept {
        fn drop(&mut self) {
            DROPPED.store(true, Ordering::SeqCst);
        }
    }
    thread_local! {
        static KEPT: std::cell::RefCell<Option<Kept>> = const { std::cell::RefCell::new(None) };
    }
    let caller = std::thread::current().id();
    let ran = super::on_a_thread_of_its_own(|| {
        KEPT.with(|kept| *kept.borrow_mut() = Some(Kept));
        (
            std::thread::current().id(),
            std::thread::current().name().map(str::to_owned),
        )
    });
    let (thread, name) = ran.expect("the job ran");
    assert_ne!(thread, caller);
    assert_eq!(name.as_deref(), Some("yimi-check"));
    assert!(
        DROPPED.load(Ordering::SeqCst),
        "the thread's kept values outlived the check"
    );
    KEPT.with(|kept| assert!(kept.borrow().is_none()));
    let panicked = std::panic::catch_unwind(|| super::on_a_thread_of_its_own(|| panic!("checked")));
    assert!(panicked.is_err());
}
