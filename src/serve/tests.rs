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
    let files = unzip("folder.zip", &bytes, &mut budget(UploadLimits::default())).unwrap();
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
    let files = unzip("names.zip", &bytes, &mut budget(UploadLimits::default())).unwrap();
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
    assert_eq!(files.len(), 2);
}
