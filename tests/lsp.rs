//! `yimi lsp` spoken to as an editor speaks to it: a client that writes JSON-RPC messages to the
//! real process's standard input and reads its standard output (initialize, didOpen,
//! publishDiagnostics, hover, completion, definition, codeAction, shutdown, exit), with hostile
//! documents and positions after Chinese text and characters outside the BMP.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

mod common;

/// Long enough for a debug build on a busy machine; only there so that a broken server fails
/// the test instead of hanging it.
const PATIENCE: Duration = Duration::from_secs(120);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications read while waiting for something else.
    pending: Vec<Value>,
}

impl Client {
    fn start(options: Value) -> Client {
        Client::start_in(Path::new(env!("CARGO_MANIFEST_DIR")), options)
    }

    /// Starts the server on a workspace whose root is `root`.
    fn start_in(root: &Path, options: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_yimi"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("yimi lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let message: Value = serde_json::from_slice(&body).expect("JSON from the server");
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            next_id: 0,
            pending: Vec::new(),
        };
        let root = url(root);
        let result = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": root, "capabilities": {}, "initializationOptions": options }),
        );
        assert_eq!(result["serverInfo"]["name"], "yimi");
        assert_eq!(
            result["capabilities"]["textDocumentSync"], 1,
            "full text sync"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn next(&mut self) -> Value {
        self.messages
            .recv_timeout(PATIENCE)
            .expect("the server answers")
    }

    /// Sends a request and returns its result (the test fails on an error response).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.next();
            if message["id"] == id {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
            self.pending.push(message);
        }
    }

    /// Opens a document and returns the diagnostics published for it.
    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
        self.diagnostics(uri)
    }

    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let published = |message: &Value| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
        };
        if let Some(at) = self.pending.iter().position(published) {
            let message = self.pending.remove(at);
            return message["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        loop {
            let message = self.next();
            if published(&message) {
                return message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            self.pending.push(message);
        }
    }

    fn at(uri: &str, line: usize, character: usize) -> Value {
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
    }

    /// The code actions the server offers for one of its diagnostics.
    fn code_actions(&mut self, uri: &str, diagnostic: &Value) -> Value {
        self.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": diagnostic["range"], "context": { "diagnostics": [diagnostic] } }),
        )
    }

    fn shutdown(mut self) {
        let result = self.request("shutdown", Value::Null);
        assert!(result.is_null());
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("the server exits");
        assert!(status.success(), "{status}");
    }
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The line and UTF-16 column of the first `needle` in `text`, as LSP counts them.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle in text");
    let before = &text[..at];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].encode_utf16().count())
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn with_code<'d>(diagnostics: &'d [Value], code: &str) -> &'d Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no `{code}` in {diagnostics:#?}"))
}

const PARK: &str = "# 黄浦滨江公园\nyimi: 1\nproject:\n  id: P-1\n  name: 黄浦滨江某公园\n  kind: park\n  jurisdiction: CN/SH/Huangpu\nsite:\n  name: 外马路滨江绿地\n  area_m2: 12000\npark:\n  category: comprehensive\nfacilities:\n  - { id: trail-1, kind: walking_trail, name: 滨江步道 }\n";

#[test]
fn project_files_get_checks_findings_hover_completion_and_fixes() {
    let cache = tempfile::tempdir().unwrap();
    let mut client = Client::start(json!({ "lang": "en", "cacheDir": cache.path() }));
    let dir = tempfile::tempdir().unwrap();
    let uri = url(&dir.path().join("park.yaml"));

    // A finding of check: severity, the clause quoted, the rule's place in its pack.
    let diagnostics = client.open(&uri, PARK);
    let finding = with_code(&diagnostics, "SH-068a");
    assert_eq!(finding["source"], "yimi");
    assert!(
        [2, 3].contains(&finding["severity"].as_i64().unwrap()),
        "a should rule is a warning, or advice when its source no longer binds: {finding}"
    );
    let message = finding["message"].as_str().unwrap();
    assert!(message.contains("has no children's play area"), "{message}");
    assert!(
        message.contains("shanghai-2023 §68 “3000平方米以上的公园绿地优先满足儿童活动需求”"),
        "{message}"
    );
    let (line, _) = position_of(PARK, "facilities:");
    assert_eq!(finding["range"]["start"]["line"], line);
    let related = &finding["relatedInformation"][0]["location"];
    let pack_uri = related["uri"].as_str().unwrap();
    assert!(
        pack_uri.ends_with("/packs/shanghai-2023.yimi"),
        "{pack_uri}"
    );
    let pack_path = pack_uri.strip_prefix("file://").unwrap();
    assert!(
        pack_path.starts_with(cache.path().to_str().unwrap()),
        "{pack_path}"
    );
    let pack_text = std::fs::read_to_string(pack_path).expect("the built-in pack is written out");
    let rule_line = related["range"]["start"]["line"].as_u64().unwrap() as usize;
    assert!(
        pack_text
            .lines()
            .nth(rule_line)
            .unwrap()
            .starts_with("rule SH-068a")
    );

    // Hover on a key: meaning, unit, the rules that read it.
    let (line, character) = position_of(PARK, "area_m2");
    let hover = client.request("textDocument/hover", Client::at(&uri, line, character + 2));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("`site.area_m2`"), "{text}");
    assert!(text.contains("Unit: m²"), "{text}");
    assert!(text.contains("`SH-068a`"), "{text}");

    // A rule id in a waiver: hover shows the rule, definition opens its built-in pack.
    let waived = format!("{PARK}waivers:\n  - rule: SH-068a\n    reason: 二期建设\n");
    let waived_uri = url(&dir.path().join("waived.yaml"));
    let diagnostics = client.open(&waived_uri, &waived);
    assert_eq!(
        with_code(&diagnostics, "SH-068a")["severity"],
        4,
        "waived: a hint"
    );
    let (line, character) = position_of(&waived, "SH-068a");
    let hover = client.request(
        "textDocument/hover",
        Client::at(&waived_uri, line, character + 3),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("**SH-068a** Parks of 3000 m² or more provide a children's play area"),
        "{text}"
    );
    assert!(
        text.contains("“3000平方米以上的公园绿地优先满足儿童活动需求”"),
        "{text}"
    );
    assert!(
        text.contains("issued, 2023-") && text.contains("– 2025-12-31"),
        "the source's force: {text}"
    );
    let definition = client.request(
        "textDocument/definition",
        Client::at(&waived_uri, line, character + 3),
    );
    assert_eq!(definition["uri"].as_str(), Some(pack_uri));

    // A rule id in a baseline (a JSON report): no diagnostics, but hover.
    let baseline = "{\"files\": [{\"findings\": [{\"rule\": \"SH-068a\"}]}]}";
    let baseline_uri = url(&dir.path().join("baseline.json"));
    assert!(client.open(&baseline_uri, baseline).is_empty());
    let (line, character) = position_of(baseline, "SH-068a");
    let hover = client.request(
        "textDocument/hover",
        Client::at(&baseline_uri, line, character),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**SH-068a**"),
        "{hover}"
    );

    // Completion: keys of the mapping at the cursor, enum values with both languages.
    let typing = PARK.replace("  category: comprehensive\n", "  category: \n");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": typing }] }),
    );
    client.diagnostics(&uri);
    let (line, character) = position_of(&typing, "category: ");
    let items = client.request(
        "textDocument/completion",
        Client::at(&uri, line, character + 10),
    );
    let community = items
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["label"] == "community")
        .unwrap_or_else(|| panic!("no `community` in {items}"));
    let description = community["labelDetails"]["description"].as_str().unwrap();
    assert!(description.contains("社区"), "{description}");
    let (line, _) = position_of(&typing, "  area_m2");
    let items = client.request("textDocument/completion", Client::at(&uri, line, 2));
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"green_area_m2"), "{labels:?}");
    assert!(
        !labels.contains(&"category"),
        "park's keys are not site's: {labels:?}"
    );
    assert!(
        !labels.contains(&"name"),
        "`name` is already written: {labels:?}"
    );

    // YAML that does not parse: hover still reads the key's mapping from indentation.
    let unparsed = PARK.replace(
        "  area_m2: 12000\n",
        "  area_m2: 12000\n  green_area_m2: [\n",
    );
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": unparsed }] }),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["yaml::syntax"]);
    let (line, character) = position_of(&unparsed, "area_m2: 12000");
    let hover = client.request("textDocument/hover", Client::at(&uri, line, character));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("`site.area_m2`") && text.contains("`SH-068a`"),
        "{text}"
    );

    // Insufficient evidence: insert the missing key.
    let missing = PARK.replace("  area_m2: 12000\n", "");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": missing }] }),
    );
    let diagnostics = client.diagnostics(&uri);
    let undecided = with_code(&diagnostics, "SH-068a");
    let actions = client.code_actions(&uri, undecided);
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["title"], "add `site.area_m2` (to be filled in)");
    let edit = &action["edit"]["changes"][&uri][0];
    let (line, _) = position_of(&missing, "park:");
    assert_eq!(
        edit["range"]["start"],
        json!({ "line": line, "character": 0 })
    );
    assert_eq!(edit["newText"], "  area_m2: ~  # TODO: a number (m²)\n");
    client.shutdown();
}

/// A rule that held only because there was nothing to check (`engine::vacuity`): the editor
/// shows it at the zero and at the empty list, as information in the editor's language, and not
/// as a finding.
/// A city plan whose targets name indicators no pack declares: a misspelt id and the
/// indicator's Chinese name. Spelt right, `child_friendly_schools` at 60 fails SH-T023 (≥ 100).
const PLAN_WITH_UNKNOWN_INDICATORS: &str = "yimi: 1
project:
  id: SH-ETYH-2024-01
  name: 上海市儿童友好城市建设专项计划
  kind: plan
  jurisdiction: CN/SH
  concerns_children: true
  decision_date: 2024-03-01
plan:
  level: city
  plan_type: children
targets:
  - { indicator: child_friendly_school, value: 60, year: 2025 }
  - { indicator: 儿童友好公园数, value: 20, year: 2025 }
";

/// An indicator id no pack declares is a warning on the id with the id meant, in the editor as
/// on the command line, and completion after `indicator:` offers the ids the packs that apply
/// read, each with its name (newcomer review 9 F4: no diagnostic, no completion).
#[test]
fn unknown_indicator_ids_are_flagged_and_the_known_ones_completed() {
    let dir = tempfile::tempdir().unwrap();
    let uri = url(&dir.path().join("plan.yaml"));
    for (lang, misspelt, by_name) in [
        (
            "zh",
            "未知的指标编号 `child_friendly_school`,这条目标未作判定\n建议:是否想写 `child_friendly_schools`(儿童友好学校数)?",
            "是否想写 `child_friendly_parks`(儿童友好公园数)?",
        ),
        (
            "en",
            "unknown indicator `child_friendly_school`, so this target is not judged\nadvice: did you mean `child_friendly_schools` (child-friendly schools)?",
            "did you mean `child_friendly_parks` (child-friendly parks)?",
        ),
    ] {
        let cache = tempfile::tempdir().unwrap();
        let mut client = Client::start(json!({ "lang": lang, "cacheDir": cache.path() }));
        let diagnostics = client.open(&uri, PLAN_WITH_UNKNOWN_INDICATORS);
        let flagged: Vec<&Value> = diagnostics
            .iter()
            .filter(|d| d["code"] == "project::unknown-indicator")
            .collect();
        assert_eq!(flagged.len(), 2, "{diagnostics:#?}");
        for (diagnostic, (needle, said)) in flagged.iter().zip([
            ("child_friendly_school", misspelt),
            ("儿童友好公园数", by_name),
        ]) {
            assert_eq!(diagnostic["severity"], 2, "a warning: {diagnostic}");
            let message = diagnostic["message"].as_str().unwrap();
            assert!(message.contains(said), "{message}");
            let (line, character) = position_of(PLAN_WITH_UNKNOWN_INDICATORS, needle);
            assert_eq!(diagnostic["range"]["start"]["line"], line);
            assert_eq!(diagnostic["range"]["start"]["character"], character);
        }
        let (line, character) = position_of(PLAN_WITH_UNKNOWN_INDICATORS, "child_friendly_school");
        let items = client.request("textDocument/completion", Client::at(&uri, line, character));
        let items = items.as_array().unwrap();
        let schools = items
            .iter()
            .find(|item| item["label"] == "child_friendly_schools")
            .unwrap_or_else(|| panic!("no `child_friendly_schools` in {items:?}"));
        let description = schools["labelDetails"]["description"].as_str().unwrap();
        assert!(
            description.contains("儿童友好学校数")
                && description.contains("child-friendly schools"),
            "{description}"
        );
        let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
        assert!(
            labels.contains(&"childcare_places_per_1000")
                || labels.contains(&"child_friendly_parks"),
            "{labels:?}"
        );
        assert!(
            !labels.contains(&"vaccination_rate"),
            "a Jilin indicator is not offered for a Shanghai plan: {labels:?}"
        );
        client.shutdown();
    }
}

#[test]
fn a_rule_with_nothing_to_check_is_noted_at_the_zero_and_the_empty_list() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/projects/nothing-to-check.yaml"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let uri = url(&dir.path().join("nothing.yaml"));
    for (lang, word, note) in [
        ("zh", "无可检查:", "其值为 0,无可检查的要求"),
        (
            "en",
            "nothing to check: ",
            "which is 0: nothing was there to check",
        ),
    ] {
        let mut client = Client::start(json!({ "lang": lang }));
        let diagnostics = client.open(&uri, &text);
        // At the zero: JL-005a scales the places by the residents.
        let zero = with_code(&diagnostics, "JL-005a");
        assert_eq!(zero["severity"], 3, "information, not a finding: {zero}");
        let (line, character) = position_of(&text, "0}");
        assert_eq!(
            zero["range"]["start"],
            json!({ "line": line, "character": character }),
            "{zero}"
        );
        let message = zero["message"].as_str().unwrap();
        assert!(message.starts_with(word), "{message}");
        assert!(message.contains(note), "{message}");
        assert!(message.contains("`population.residents`"), "{message}");
        assert!(message.contains("jilin-2022 §5"), "{message}");
        assert!(
            zero["relatedInformation"][0]["message"]
                .as_str()
                .unwrap()
                .starts_with("JL-005a "),
            "the rule's place in its pack: {zero}"
        );
        // At the empty list: JL-005b is about the childcare facilities there are none of.
        let empty = with_code(&diagnostics, "JL-005b");
        assert_eq!(empty["severity"], 3, "{empty}");
        let (line, _) = position_of(&text, "facilities: []");
        assert_eq!(empty["range"]["start"]["line"], line, "{empty}");
        let message = empty["message"].as_str().unwrap();
        assert!(message.starts_with(word), "{message}");
        assert!(message.contains("`facilities`"), "{message}");
        // Nothing else is said about the two rules, and nothing offers a fix for them.
        assert_eq!(
            codes(&diagnostics)
                .iter()
                .filter(|code| code.starts_with("JL-005"))
                .count(),
            2,
            "{diagnostics:#?}"
        );
        assert!(
            client
                .code_actions(&uri, zero)
                .as_array()
                .is_none_or(Vec::is_empty)
        );
        client.shutdown();
    }
}

#[test]
fn positions_count_utf16_after_chinese_and_astral_characters() {
    let mut client = Client::start(json!({ "lang": "en" }));
    let dir = tempfile::tempdir().unwrap();
    let uri = url(&dir.path().join("typo.yaml"));
    let text = PARK.replace(
        "park:\n  category: comprehensive\n",
        "park: {说明: 😀😀, category: comunity, x: 1}\n",
    );
    let diagnostics = client.open(&uri, &text);
    // The enum typo after Chinese and astral characters: underlined exactly, with a quick fix
    // to the suggestion.
    let typo = with_code(&diagnostics, "project::enum");
    let (line, character) = position_of(&text, "comunity");
    assert_eq!(
        character,
        "park: {说明: 😀😀, category: ".encode_utf16().count()
    );
    assert_eq!(character, 27, "说明 one unit each, 😀 two");
    assert_eq!(
        typo["range"]["start"],
        json!({ "line": line, "character": character })
    );
    assert_eq!(
        typo["range"]["end"],
        json!({ "line": line, "character": character + 8 })
    );
    let actions = client.code_actions(&uri, typo);
    assert_eq!(actions[0]["title"], "change to `community`");
    assert_eq!(
        actions[0]["edit"]["changes"][&uri][0]["newText"],
        "community"
    );
    assert_eq!(
        actions[0]["edit"]["changes"][&uri][0]["range"],
        typo["range"]
    );
    let unknown = diagnostics
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .unwrap_or("")
                .contains("unknown key `x`")
        })
        .unwrap_or_else(|| panic!("no warning about `x` in {diagnostics:#?}"));
    let (line, character) = position_of(&text, "x: 1}");
    assert_eq!(
        unknown["range"]["start"],
        json!({ "line": line, "character": character })
    );
    // Hover on the key after them finds it.
    let hover = client.request("textDocument/hover", Client::at(&uri, line, character - 12));
    let hovered = hover["contents"]["value"].as_str().unwrap();
    assert!(hovered.contains("`park.category`"), "{hovered}");
    client.shutdown();
}

/// A line ends at `\n`, `\r\n` or a `\r` alone (classic Mac OS), to the protocol as to the
/// command line: every diagnostic of the same file is at the same place in both, a hover
/// after the Chinese line finds its key, and a quick fix edits the place underlined. The
/// server counted `\n` only, and put every place of a CR file on line 0.
#[test]
fn positions_agree_with_the_command_line_whatever_the_line_ends() {
    let mut client = Client::start(json!({ "lang": "en" }));
    let dir = tempfile::tempdir().unwrap();
    let lines = PARK.replace(
        "park:\n  category: comprehensive\n",
        "park: {说明: 儿童游乐区, category: comunity}\n",
    );
    for (name, end) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        let path = dir.path().join(format!("{name}.yaml"));
        let text = lines.replace('\n', end);
        std::fs::write(&path, &text).unwrap();
        let cli = Command::new(env!("CARGO_BIN_EXE_yimi"))
            .args(["check", "--lang", "en", "--format", "json"])
            .arg(&path)
            .output()
            .expect("yimi check runs");
        let report: Value = serde_json::from_slice(&cli.stdout).expect("a JSON report");
        let expected: Vec<(String, u64, u64)> = report["files"][0]["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                let (line, column) = (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap());
                (d["code"].as_str().unwrap().to_owned(), line - 1, column - 1)
            })
            .collect();
        // The enum typo and the unknown key, both on the line after the Chinese name's.
        assert_eq!(expected.len(), 2, "{name}: {report:#}");
        assert!(
            expected.iter().all(|(_, line, _)| *line == 10),
            "{name}: {expected:?}"
        );
        let uri = url(&path);
        let diagnostics = client.open(&uri, &text);
        let mut found: Vec<(String, u64, u64)> = diagnostics
            .iter()
            .map(|d| {
                let start = &d["range"]["start"];
                (
                    d["code"].as_str().unwrap_or("").to_owned(),
                    start["line"].as_u64().unwrap(),
                    start["character"].as_u64().unwrap(),
                )
            })
            .collect();
        found.retain(|(code, _, _)| expected.iter().any(|(wanted, _, _)| wanted == code));
        assert_eq!(found, expected, "{name}: {diagnostics:#?}");
        let typo = with_code(&diagnostics, "project::enum");
        assert_eq!(
            typo["range"]["end"],
            json!({ "line": 10, "character": expected[0].2 + "comunity".len() as u64 }),
            "{name}"
        );
        let actions = client.code_actions(&uri, typo);
        assert_eq!(
            actions[0]["edit"]["changes"][&uri][0]["range"],
            typo["range"]
        );
        let column = "park: {说明: 儿童游乐区, ".encode_utf16().count();
        let hover = client.request("textDocument/hover", Client::at(&uri, 10, column + 2));
        let hovered = hover["contents"]["value"].as_str().unwrap_or("");
        assert!(hovered.contains("`park.category`"), "{name}: {hover}");
        // On the Chinese line itself, the key `name` of the site.
        let hover = client.request("textDocument/hover", Client::at(&uri, 8, 3));
        let hovered = hover["contents"]["value"].as_str().unwrap_or("");
        assert!(hovered.contains("`site.name`"), "{name}: {hover}");
        // The key a rule misses goes on a line of its own, ended as the document's lines are.
        let missing = PARK.replace("  area_m2: 12000\n", "").replace('\n', end);
        let uri = url(&dir.path().join(format!("missing-{name}.yaml")));
        let diagnostics = client.open(&uri, &missing);
        let actions = client.code_actions(&uri, with_code(&diagnostics, "SH-068a"));
        let edit = &actions[0]["edit"]["changes"][&uri][0];
        assert_eq!(
            edit["range"]["start"],
            json!({ "line": 9, "character": 0 }),
            "{name}"
        );
        assert_eq!(
            edit["newText"],
            format!("  area_m2: ~  # TODO: a number (m²){end}"),
            "{name}"
        );
    }
    client.shutdown();
}

#[test]
fn hostile_documents_get_diagnostics_and_the_server_goes_on() {
    let mut client = Client::start(json!({ "lang": "en", "maxFileSize": 3_000_000 }));
    let dir = tempfile::tempdir().unwrap();
    let huge_line = format!(
        "yimi: 1\nproject: {{id: P-1, name: {}}}\n",
        "长".repeat(400_000)
    );
    let control =
        "yimi: 1\nproject:\n  id: \"P\u{0}1\u{1b}[31m\"\n  name: a\u{7}b\n\u{0}\u{1}\u{2}: x\n";
    let deep = format!(
        "yimi: 1\nproject: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let deep_block: String = (0..5_000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let oversized = format!("yimi: 1\n# {}\n", "x".repeat(3_000_001));
    let pack_garbage = "rule {{{{ \u{0} \"\n".repeat(10_000);
    let deep_pack = format!(
        "pack p {{\n  source shanghai-2023\n  jurisdiction CN/SH\n  version \"1\"\n}}\nrule X-1 \"t\" {{\n  require {}true{}\n  message \"{}\"\n}}\n",
        "(".repeat(200_000),
        ")".repeat(200_000),
        "{".repeat(50_000)
    );
    let cases = [
        ("huge-line.yaml", huge_line.as_str()),
        ("control.yaml", control),
        ("deep.yaml", deep.as_str()),
        ("deep-block.yaml", &format!("yimi: 1\n{deep_block}")),
        ("oversized.yaml", oversized.as_str()),
        ("garbage.yimi", pack_garbage.as_str()),
        ("deep.yimi", deep_pack.as_str()),
        ("empty.yimi", ""),
    ];
    for (name, text) in cases {
        let uri = url(&dir.path().join(name));
        let diagnostics = client.open(&uri, text);
        assert!(!diagnostics.is_empty(), "{name}: no diagnostic");
        for diagnostic in &diagnostics {
            let start = &diagnostic["range"]["start"];
            assert!(start["line"].as_u64().is_some() && start["character"].as_u64().is_some());
        }
        if name == "oversized.yaml" {
            assert_eq!(codes(&diagnostics), ["limits::file-size"]);
        }
        // The first raw control character, the NUL inside `"P…"` (#12 E7).
        if name == "control.yaml" {
            assert_eq!(codes(&diagnostics), ["yaml::unprintable"]);
            let start = &diagnostics[0]["range"]["start"];
            assert_eq!(
                (start["line"].as_u64(), start["character"].as_u64()),
                (Some(2), Some(8))
            );
        }
        // Still answering, anywhere in the document and past its end.
        for (line, character) in [
            (0, 0),
            (1, 5),
            (1, 1_000_000),
            (u32::MAX as usize, u32::MAX as usize),
        ] {
            client.request("textDocument/hover", Client::at(&uri, line, character));
            client.request("textDocument/completion", Client::at(&uri, line, character));
            client.request("textDocument/definition", Client::at(&uri, line, character));
        }
    }
    // Malformed parameters are an error response, not the end of the session.
    client.next_id += 1;
    let id = client.next_id;
    client.send(&json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": { "nonsense": true } }));
    let answer = loop {
        let message = client.next();
        if message["id"] == id {
            break message;
        }
    };
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    client.shutdown();
}

const LOCAL_PACK: &str = "# 本地规则包\npack local-park {\n  source shanghai-2023\n  jurisdiction CN/SH/Huangpu\n  version \"1\"\n}\n\nparam min_park_m2 {\n  label \"公园绿地面积\" en \"park area\"\n  value at_least 3000 m2\n  cite  shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n}\n\nrule LOCAL-1 \"公园绿地设置儿童活动场地\" en \"Parks provide a play area\" {\n  domain   space\n  strength should\n  cite     shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n  require  site.area_m2 >= param.min_park_m2\n  test pass \"pass.yaml\"\n}\n";

#[test]
fn packs_get_lints_hover_completion_definitions_and_fixtures() {
    let cache = tempfile::tempdir().unwrap();
    let mut client = Client::start(json!({ "lang": "en", "cacheDir": cache.path() }));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pass.yaml"),
        "yimi: 1\nproject: {id: P-1, name: 公园, kind: park, jurisdiction: CN/SH/Huangpu}\nsite: {area_m2: 5000}\n",
    )
    .unwrap();
    let pack_path = dir.path().join("local.yimi");
    let uri = url(&pack_path);

    // The lint: no failing test, with a fix that creates the fixture.
    let diagnostics = client.open(&uri, LOCAL_PACK);
    let untested = with_code(&diagnostics, "lint::untested");
    let (line, character) = position_of(LOCAL_PACK, "LOCAL-1");
    assert_eq!(
        untested["range"]["start"],
        json!({ "line": line, "character": character })
    );
    let actions = client.code_actions(&uri, untested);
    let create = &actions[0];
    assert_eq!(
        create["title"],
        "create the fail test of LOCAL-1: `tests/LOCAL-1/fail.yaml`"
    );
    let operations = create["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(operations[0]["kind"], "create");
    assert_eq!(
        operations[0]["uri"],
        url(&dir.path().join("tests/LOCAL-1/fail.yaml"))
    );
    let fixture = operations[1]["edits"][0]["newText"].as_str().unwrap();
    assert!(fixture.contains("jurisdiction: CN/SH/Huangpu"), "{fixture}");
    let (closing, _) = position_of(LOCAL_PACK, "  test pass");
    assert_eq!(
        operations[2]["edits"][0]["range"]["start"]["line"],
        closing + 1
    );
    assert_eq!(
        operations[2]["edits"][0]["newText"],
        "  test fail \"tests/LOCAL-1/fail.yaml\"\n"
    );

    // A misspelt path: an error with "did you mean" and its fix.
    let broken = LOCAL_PACK.replace("site.area_m2", "site.area_m3");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": broken }] }),
    );
    let diagnostics = client.diagnostics(&uri);
    let error = diagnostics
        .iter()
        .find(|d| d["severity"] == 1)
        .unwrap_or_else(|| panic!("no error in {diagnostics:#?}"));
    assert!(
        error["message"].as_str().unwrap().contains("area_m2"),
        "{error}"
    );
    let actions = client.code_actions(&uri, error);
    let (line, character) = position_of(&broken, "site.area_m3");
    let replace = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(
        replace["range"]["start"],
        json!({ "line": line, "character": character })
    );
    assert_eq!(replace["newText"], "site.area_m2");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": LOCAL_PACK }] }),
    );
    client.diagnostics(&uri);

    // Hover: a rule id, a path, a parameter.
    let (line, character) = position_of(LOCAL_PACK, "LOCAL-1");
    let hover = client.request("textDocument/hover", Client::at(&uri, line, character + 1));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("**LOCAL-1** Parks provide a play area"),
        "{text}"
    );
    assert!(text.contains("shanghai-2023 §68 “3000平方米以上"), "{text}");
    assert!(text.contains("issued"), "the source's standing: {text}");
    let (line, character) = position_of(LOCAL_PACK, "site.area_m2");
    let hover = client.request("textDocument/hover", Client::at(&uri, line, character + 6));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("Unit: m²"), "{text}");
    let (line, character) = position_of(LOCAL_PACK, "param.min_park_m2");
    let hover = client.request("textDocument/hover", Client::at(&uri, line, character + 8));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("at_least 3000"), "{text}");

    // Definition: a parameter to its declaration; a citation to the clause in the source text.
    let definition = client.request(
        "textDocument/definition",
        Client::at(&uri, line, character + 8),
    );
    assert_eq!(definition["uri"], uri);
    assert_eq!(
        definition["range"]["start"]["line"],
        position_of(LOCAL_PACK, "param min_park_m2").0
    );
    let (line, character) = position_of(
        LOCAL_PACK,
        "§68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n  require",
    );
    let definition = client.request(
        "textDocument/definition",
        Client::at(&uri, line, character + 1),
    );
    let source_uri = definition["uri"].as_str().unwrap();
    assert!(
        source_uri.ends_with("/sources/shanghai-2023.txt"),
        "{source_uri}"
    );
    let source = std::fs::read_to_string(source_uri.strip_prefix("file://").unwrap()).unwrap();
    let quoted_line = source
        .lines()
        .nth(definition["range"]["start"]["line"].as_u64().unwrap() as usize)
        .unwrap();
    assert!(quoted_line.contains("3000平方米以上"), "{quoted_line}");
    // A built-in rule id to its built-in pack, written out.
    let (line, _) = position_of(LOCAL_PACK, "LOCAL-1");
    let with_builtin = LOCAL_PACK.replace("# 本地规则包", "# 本地规则包,参照 SH-068a");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 4 }, "contentChanges": [{ "text": with_builtin }] }),
    );
    client.diagnostics(&uri);
    let definition = client.request("textDocument/definition", Client::at(&uri, 0, 13));
    assert!(
        definition["uri"]
            .as_str()
            .unwrap()
            .ends_with("/packs/shanghai-2023.yimi"),
        "{definition}"
    );
    let _ = line;

    // Completion: keywords, domains, sources, clause numbers, units, fields, parameters.
    // One text with a line being typed per case (each checked pack costs a check of every
    // built-in pack too); the cursor is at the end of each line.
    let cases: [(&str, &str); 8] = [
        ("ru", "rule"),
        ("  domain ", "space"),
        ("  cite ", "jilin-2022"),
        ("  cite shanghai-2023 §", "§68"),
        ("  require site.area_m2 >= 3000 ", "m2"),
        ("  require site.", "area_m2"),
        ("  require param.", "min_park_m2"),
        ("  applies project.kind == ", "park"),
    ];
    let typed: Vec<&str> = cases.iter().map(|(before, _)| *before).collect();
    let text = format!("{LOCAL_PACK}{}\n", typed.join("\n"));
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 5 }, "contentChanges": [{ "text": text }] }),
    );
    client.diagnostics(&uri);
    let first = LOCAL_PACK.matches('\n').count();
    for (at, (before, expected)) in cases.iter().enumerate() {
        let character = before.encode_utf16().count();
        let items = client.request(
            "textDocument/completion",
            Client::at(&uri, first + at, character),
        );
        let labels: Vec<&str> = items
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|item| item["label"].as_str())
            .collect();
        assert!(
            labels.contains(expected),
            "`{before}`: no `{expected}` in {labels:?}"
        );
    }
    client.shutdown();
}

/// The editor configurations in `editors/` parse, start `yimi lsp`, point at files that exist,
/// and the `.yimi` grammar highlights every keyword of the rule language.
#[test]
fn editor_configurations_parse_and_start_the_server() {
    let editors = Path::new(env!("CARGO_MANIFEST_DIR")).join("editors");
    let json = |path: &str| -> Value {
        let text =
            std::fs::read_to_string(editors.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let manifest = json("vscode/package.json");
    // A submitted folder's `.vscode/settings.json` may not choose the program the extension
    // runs (hostile review 9, R9): `yimi.path` is a machine setting, and in a folder not trusted
    // the folder's rules and sources settings are ignored too.
    let properties = &manifest["contributes"]["configuration"]["properties"];
    assert_eq!(properties["yimi.path"]["scope"], "machine");
    let untrusted = &manifest["capabilities"]["untrustedWorkspaces"];
    assert_eq!(untrusted["supported"], "limited");
    let restricted = untrusted["restrictedConfigurations"].as_array().unwrap();
    for setting in ["yimi.path", "yimi.rules", "yimi.sources"] {
        assert!(restricted.contains(&Value::from(setting)), "{setting}");
        assert!(properties.get(setting).is_some(), "{setting}");
    }
    let main = manifest["main"].as_str().unwrap();
    let extension = std::fs::read_to_string(editors.join("vscode").join(main)).unwrap();
    assert!(extension.contains(r#"args: ["lsp"]"#), "{extension}");
    for language in manifest["contributes"]["languages"].as_array().unwrap() {
        let configuration = language["configuration"].as_str().unwrap();
        json(&format!(
            "vscode/{}",
            configuration.trim_start_matches("./")
        ));
    }
    let grammar_path = manifest["contributes"]["grammars"][0]["path"]
        .as_str()
        .unwrap();
    let grammar = json(&format!("vscode/{}", grammar_path.trim_start_matches("./")));
    assert_eq!(
        grammar["scopeName"],
        manifest["contributes"]["grammars"][0]["scopeName"]
    );
    let repository = grammar["repository"].as_object().unwrap();
    for pattern in grammar["patterns"].as_array().unwrap() {
        let name = pattern["include"].as_str().unwrap().trim_start_matches('#');
        assert!(
            repository.contains_key(name),
            "`{name}` is included but not defined"
        );
    }
    let grammar_text = grammar.to_string();
    let pest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/yimi.pest"))
            .unwrap();
    let keywords: Vec<&str> = pest
        .lines()
        .filter(|line| line.starts_with("kw_"))
        .collect();
    assert!(
        keywords.len() > 30,
        "the keywords are `kw_…` rules: {keywords:?}"
    );
    for line in keywords {
        let keyword = line
            .split('"')
            .nth(1)
            .expect("a keyword rule quotes its word");
        assert!(
            grammar_text.contains(keyword),
            "the grammar does not highlight `{keyword}`"
        );
    }
    // Functions are names to the pest grammar, not keywords: the checker's list is the truth.
    let functions = grammar["repository"]["function"]["match"]
        .as_str()
        .expect("a pattern highlights the functions");
    let alternatives: Vec<&str> = functions
        .split(['(', ')', '|'])
        .map(|word| word.trim_start_matches("\\b"))
        .collect();
    for function in yimi::rules::check::FUNCTIONS {
        assert!(
            alternatives.contains(function),
            "the grammar does not highlight the function `{function}`: {functions}"
        );
    }

    let helix: toml_edit::DocumentMut =
        std::fs::read_to_string(editors.join("helix/languages.toml"))
            .unwrap()
            .parse()
            .expect("helix/languages.toml parses");
    let server = &helix["language-server"]["yimi"];
    assert_eq!(server["command"].as_str(), Some("yimi"));
    assert_eq!(
        server["args"]
            .as_array()
            .and_then(|args| args.get(0))
            .and_then(|arg| arg.as_str()),
        Some("lsp")
    );
    let neovim = std::fs::read_to_string(editors.join("neovim/yimi.lua")).unwrap();
    assert!(neovim.contains(r#"cmd = { "yimi", "lsp" }"#), "{neovim}");
}

/// A configured pack (`rules` in the initialization options) is loaded for project files, and
/// saving it checks the open project files again against the saved text.
#[test]
fn saving_a_configured_pack_checks_open_project_files_again() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    let pack = |area: u32| {
        format!(
            "pack local-huangpu {{\n  source shanghai-2023\n  jurisdiction CN/SH/Huangpu\n  version \"1\"\n}}\n\nrule LOCAL-9 \"公园绿地足够大\" en \"The park is large enough\" {{\n  domain   space\n  strength should\n  cite     shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n  require  site.area_m2 >= {area} m2\n}}\n"
        )
    };
    let pack_path = rules.join("local.yimi");
    std::fs::write(&pack_path, pack(100_000)).unwrap();
    let mut client = Client::start(json!({ "lang": "en", "rules": [rules] }));
    let project_uri = url(&dir.path().join("park.yaml"));
    let diagnostics = client.open(&project_uri, PARK);
    let local = with_code(&diagnostics, "LOCAL-9");
    assert_eq!(
        local["relatedInformation"][0]["location"]["uri"],
        url(&pack_path),
        "a local pack is linked where it is"
    );

    let pack_uri = url(&pack_path);
    client.open(&pack_uri, &pack(100));
    std::fs::write(&pack_path, pack(100)).unwrap();
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": pack_uri } }),
    );
    let diagnostics = client.diagnostics(&project_uri);
    assert!(
        !codes(&diagnostics).contains(&"LOCAL-9".to_owned()),
        "the saved pack passes the park: {diagnostics:#?}"
    );
    client.shutdown();
}

/// The waivers settings: a configured waivers file waives what it names in every project file
/// (`check --waivers`), and saving it checks them again; a refused one is said at the top of
/// each, at its place; `inlineWaivers: ignore` makes a file's own waivers waive nothing.
#[test]
fn a_waivers_file_and_the_inline_waivers_setting_apply_as_in_check() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = dir.path().join("waivers.yaml");
    let granted = "yimi: 1\nwaivers:\n  - rule: SH-068a\n    reason: 二期建设\n";
    std::fs::write(&waivers, granted).unwrap();
    let mut client = Client::start(json!({ "lang": "en", "waivers": waivers }));
    let uri = url(&dir.path().join("park.yaml"));
    let diagnostics = client.open(&uri, PARK);
    assert_eq!(
        with_code(&diagnostics, "SH-068a")["severity"],
        4,
        "waived by the waivers file: a hint"
    );
    // Saved with a waiver without a reason: refused, said at the top at its place, and the
    // finding is no longer waived.
    let waivers_uri = url(&waivers);
    std::fs::write(&waivers, "yimi: 1\nwaivers:\n  - rule: SH-068a\n").unwrap();
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": waivers_uri } }),
    );
    let diagnostics = client.diagnostics(&uri);
    let refused = with_code(&diagnostics, "waivers::load");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.starts_with("the waivers file is refused, so none of its waivers were applied: ")
            && message.contains("waivers.yaml:3:"),
        "{message}"
    );
    assert_ne!(with_code(&diagnostics, "SH-068a")["severity"], 4);
    client.shutdown();

    // A project file's own waiver applies unless the setting says otherwise.
    let inline = format!("{PARK}waivers:\n  - rule: SH-068a\n    reason: 二期建设\n");
    let inline_uri = url(&dir.path().join("inline.yaml"));
    for (setting, waived) in [(None, true), (Some("apply"), true), (Some("ignore"), false)] {
        let options = match setting {
            Some(mode) => json!({ "lang": "en", "inlineWaivers": mode }),
            None => json!({ "lang": "en" }),
        };
        let mut client = Client::start(options);
        let diagnostics = client.open(&inline_uri, &inline);
        let finding = with_code(&diagnostics, "SH-068a");
        assert_eq!(finding["severity"] == 4, waived, "{setting:?}: {finding}");
        if !waived {
            with_code(&diagnostics, "waiver::inline-ignored");
        }
        client.shutdown();
    }
}

/// A local pack's refinement: its lint (no failing test) is a diagnostic at the refined name, and
/// hovering over the parameter in a rule shows the refined value, its pack and its citation.
#[test]
fn a_refinement_gets_its_lint_and_its_hover() {
    let cache = tempfile::tempdir().unwrap();
    let mut client = Client::start(json!({ "lang": "en", "cacheDir": cache.path() }));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("fixtures")).unwrap();
    for fixture in ["enough", "between", "missing"] {
        std::fs::copy(
            format!("tests/refine/fixtures/{fixture}.yaml"),
            dir.path().join(format!("fixtures/{fixture}.yaml")),
        )
        .unwrap();
    }
    let pack = std::fs::read_to_string("tests/refine/changchun-refined.yimi")
        .unwrap()
        .replace("  test fail \"fixtures/between.yaml\"\n", "")
        .replace(
            "  test pass \"fixtures/enough.yaml\"",
            "  test JL-005a pass \"fixtures/enough.yaml\"",
        )
        + "\nrule CC-1 \"托位按常住人口计\" en \"Childcare places by residents\" {\n  domain   service\n  strength shall\n  cite     jilin-2022 §5 \"推动新建居住区建设与常住人口规模相适应的婴幼儿照护服务设施\"\n  require  sum(facilities, f => f.places) >= ceil(param.childcare_places_per_1000 * population.residents)\n}\n";
    let uri = url(&dir.path().join("changchun.yimi"));
    let diagnostics = client.open(&uri, &pack);
    let untested = diagnostics
        .iter()
        .find(|d| {
            d["code"] == "lint::untested"
                && d["message"].as_str().is_some_and(|m| {
                    m.contains("the refinement of `childcare_places_per_1000` has no fail test")
                })
        })
        .unwrap_or_else(|| panic!("no lint of the refinement in {diagnostics:#?}"));
    let (line, character) = position_of(&pack, "childcare_places_per_1000 {");
    assert_eq!(
        untested["range"]["start"],
        json!({ "line": line, "character": character })
    );
    // Its fix creates the failing fixture and adds its test before the block's closing brace.
    let actions = client.code_actions(&uri, untested);
    assert_eq!(
        actions[0]["title"],
        "create the fail test of refine childcare_places_per_1000: `tests/refine-childcare_places_per_1000/fail.yaml`"
    );
    let operations = actions[0]["edit"]["documentChanges"].as_array().unwrap();
    let fixture = operations[1]["edits"][0]["newText"].as_str().unwrap();
    assert!(
        fixture.contains("jurisdiction: CN/JL/Changchun"),
        "{fixture}"
    );
    let (closing, _) = position_of(&pack, "missing [population.residents]\n}");
    assert_eq!(
        operations[2]["edits"][0]["range"]["start"]["line"],
        closing + 1
    );
    assert_eq!(
        operations[2]["edits"][0]["newText"],
        "  test fail \"tests/refine-childcare_places_per_1000/fail.yaml\"\n"
    );
    let (line, character) = position_of(&pack, "param.childcare_places_per_1000");
    let hover = client.request("textDocument/hover", Client::at(&uri, line, character + 8));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains(
            "refined by changchun-refined (CN/JL/Changchun): 5 places per 1000 people · 2 tests"
        ),
        "{text}"
    );
    assert!(
        text.contains("Changchun reads it as 5 places per 1000 residents"),
        "{text}"
    );
    // After `test` in the block: the rules that read the parameter, which the test may name.
    let (line, _) = position_of(&pack, "  test JL-005a insufficient_evidence");
    let completion = client.request("textDocument/completion", Client::at(&uri, line, 7));
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|item| item["label"].as_str())
        .collect();
    for expected in ["JL-005a", "CC-1", "fail"] {
        assert!(labels.contains(&expected), "{expected} in {labels:?}");
    }
    assert!(!labels.contains(&"JL-005b"), "{labels:?}");
    client.shutdown();
}

/// The VS Code extension's own `activate`, run by node with the real `vscode-languageclient` (the
/// version its manifest asks for, which `scripts/test` installs) against a stand-in for the
/// `vscode` API: it spawns `yimi lsp`, completes `initialize`, and a project file's diagnostics and
/// a hover in the configured language come back through the client. (VS Code itself is too large
/// to run here on every test run; `scripts/vscode-screenshots` runs the extension in code-server.)
#[test]
fn the_vscode_extension_starts_yimi_lsp_through_its_language_client() {
    let modules = common::tools_dir()
        .map(|dir| dir.join("npm/node_modules"))
        .filter(|dir| dir.join("vscode-languageclient/package.json").is_file())
        .unwrap_or_else(|| {
            panic!("vscode-languageclient is not installed in the test tools' npm/node_modules: run scripts/test")
        });
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new("node")
        .arg(root.join("tests/vscode/activate.js"))
        .arg(root.join("editors/vscode"))
        .arg(env!("CARGO_BIN_EXE_yimi"))
        .arg(root.join("examples/jl-changchun-residential.yaml"))
        .env("NODE_PATH", &modules)
        .output()
        .unwrap_or_else(|error| panic!("node does not run ({error}): run scripts/test"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("5 passed, 0 failed"),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A document larger than its kind may be (here a baseline opened as JSON past `maxFileSize`) is
/// answered nothing: hover, definition and completion each read the document whole, and a 29 MB
/// baseline took seconds a hover (hostile review 9, R12). The same baseline within the limit is
/// answered.
#[test]
fn a_document_past_the_size_limit_is_answered_nothing() {
    let mut client = Client::start(json!({ "lang": "en", "maxFileSize": 1_000 }));
    let dir = tempfile::tempdir().unwrap();
    let small = "{\"files\": [{\"findings\": [{\"rule\": \"SH-068a\"}]}]}";
    let large = format!(
        "{{\"files\": [{{\"findings\": [{{\"rule\": \"SH-068a\"}}]}}], \"padding\": \"{}\"}}",
        "x".repeat(1_000)
    );
    for (name, text, answered) in [("small.json", small, true), ("large.json", &large, false)] {
        let uri = url(&dir.path().join(name));
        assert!(client.open(&uri, text).is_empty(), "{name}");
        let (line, character) = position_of(text, "SH-068a");
        let hover = client.request("textDocument/hover", Client::at(&uri, line, character));
        assert_eq!(hover.is_null(), !answered, "{name}: {hover}");
        let definition =
            client.request("textDocument/definition", Client::at(&uri, line, character));
        assert_eq!(definition.is_null(), !answered, "{name}: {definition}");
        let completion =
            client.request("textDocument/completion", Client::at(&uri, line, character));
        if !answered {
            assert!(completion.is_null(), "{name}: {completion}");
        }
    }
    client.shutdown();
}

/// Hostile review 15 X9: a waivers file (`yimi: 1`, `waivers:`, no `project:`) is read as one,
/// with what `check --waivers` says of it, not as a project file missing `project`; a pack that
/// declares a built-in pack's id gets the warning `rules lint` gives.
#[test]
fn waivers_files_are_read_as_such_and_a_pack_replacing_a_built_in_is_warned() {
    let mut client = Client::start(json!({ "lang": "en" }));
    let dir = tempfile::tempdir().unwrap();
    let waivers = url(&dir.path().join("waivers.yaml"));
    let good = "yimi: 1\nwaivers:\n  - { project: X, rule: JL-005a, reason: r, approved_by: a, approved_on: 2026-01-01, file: p/x.yaml }\n";
    let diagnostics = client.open(&waivers, good);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let bad = "yimi: 1\nwaivers:\n  - { project: X, rule: JL-999z, reason: r, approved_by: a, approved_on: 2026-01-01 }\n  - { project: X, rule: JL-005a, reason: '', approved_by: a, approved_on: 2026-01-01 }\n";
    let other = url(&dir.path().join("other-waivers.yaml"));
    let diagnostics = client.open(&other, bad);
    let found = codes(&diagnostics);
    assert!(
        !found.iter().any(|code| code == "project::missing"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|code| code == "waiver::no-reason"),
        "{found:?}"
    );
    // A project file is still one, and still told it lacks `project`.
    let project = url(&dir.path().join("p.yaml"));
    let diagnostics = client.open(&project, "yimi: 1\nsite: {}\n");
    assert!(
        codes(&diagnostics)
            .iter()
            .any(|code| code == "project::missing"),
        "{diagnostics:?}"
    );
    // A pack declaring `jilin-2022`, edited: warned at its id; an exact copy is not.
    let pack_uri = url(&dir.path().join("replaces.yimi"));
    let pack = "pack jilin-2022 {\n  source       jilin-2022\n  jurisdiction CN/JL\n  version      \"9\"\n}\n";
    let diagnostics = client.open(&pack_uri, pack);
    let warning = with_code(&diagnostics, "rules::replaces-builtin");
    assert_eq!(warning["severity"], 2, "{warning}");
    assert_eq!(warning["range"]["start"]["line"], 0, "{warning}");
    assert_eq!(warning["range"]["start"]["character"], 5, "{warning}");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("replaces the built-in pack `jilin-2022`"),
        "{warning}"
    );
    let copy = std::fs::read_to_string("rules/jilin-2022.yimi").unwrap();
    let copy_uri = url(&dir.path().join("jilin-2022.yimi"));
    let diagnostics = client.open(&copy_uri, &copy);
    assert!(
        !codes(&diagnostics).contains(&"rules::replaces-builtin".to_owned()),
        "{diagnostics:?}"
    );
    client.shutdown();
}

/// A waiver of a waivers file that names a project and no `file:` applies only where one file
/// of a run declares the id (`waiver::shared-project-id`): where the authority writes its waivers
/// file, the editor suggests the pin as advice (information) at the waiver's `project`, and not
/// at a pinned waiver nor at one naming no project. `check` says nothing of it on a run where
/// each id is declared once: a gate would repeat it on every run.
#[test]
fn an_unpinned_waiver_for_a_project_is_advised_to_be_pinned_in_the_editor() {
    let mut client = Client::start(json!({ "lang": "en" }));
    let dir = tempfile::tempdir().unwrap();
    let waivers = url(&dir.path().join("waivers.yaml"));
    let text = "yimi: 1\nwaivers:\n  - { project: X-1, rule: JL-005a, reason: r }\n  - { project: X-1, file: p/x.yaml, rule: JL-005b, reason: r }\n  - { rule: JL-006c, reason: r }\n";
    let diagnostics = client.open(&waivers, text);
    assert_eq!(codes(&diagnostics), vec!["waiver::unpinned".to_owned()]);
    let advice = with_code(&diagnostics, "waiver::unpinned");
    assert_eq!(advice["severity"], 3, "information: {advice}");
    assert_eq!(advice["range"]["start"]["line"], 2, "{advice}");
    assert_eq!(
        advice["range"]["start"]["character"], 15,
        "at `X-1`: {advice}"
    );
    let message = advice["message"].as_str().unwrap();
    assert!(
        message.contains("by the project id `X-1` alone") && message.contains("`file:`"),
        "{message}"
    );
    client.shutdown();
}

/// In the editor, a waiver's `file:` names the document by its path relative to the
/// workspace's root (`./`, repeated `/` aside), as `check` run from there names it: the waiver
/// applies to that document and to no other (before, a pinned waiver applied to none).
#[test]
fn a_pinned_waiver_applies_to_the_document_its_file_names_relative_to_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("waivers.yaml"),
        "yimi: 1\nwaivers:\n  - {file: ./projects//park.yaml, rule: SH-068a, reason: 二期建设}\n",
    )
    .unwrap();
    let mut client = Client::start_in(
        dir.path(),
        json!({ "lang": "en", "waivers": "waivers.yaml" }),
    );
    let named = url(&dir.path().join("projects/park.yaml"));
    let diagnostics = client.open(&named, PARK);
    assert_eq!(
        with_code(&diagnostics, "SH-068a")["severity"],
        4,
        "waived for the file it names: {diagnostics:?}"
    );
    let other = url(&dir.path().join("projects/other.yaml"));
    let diagnostics = client.open(&other, PARK);
    assert_ne!(
        with_code(&diagnostics, "SH-068a")["severity"],
        4,
        "not for another: {diagnostics:?}"
    );
    client.shutdown();
}

/// Hostile review 16 Y3: the framing of the client's messages is read as they arrive. A
/// `Content-Length` past memory aborted the process (lsp-server sized its buffer by it first) and
/// `u64::MAX` panicked; a header line without its end was read without bound. Each now ends the
/// session with one message and exit code 2; a message that is not JSON-RPC is skipped, and the
/// session goes on.
#[test]
fn hostile_framing_ends_the_session_with_a_message_and_never_a_crash() {
    let initialize = |id: i64| {
        let body = json!({ "jsonrpc": "2.0", "id": id, "method": "initialize", "params": { "capabilities": {} } })
            .to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    };
    let run = |input: Vec<u8>| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_yimi"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("yimi lsp starts");
        let mut stdin = child.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let output = child.wait_with_output().expect("yimi lsp ends");
        writer.join().expect("written");
        output
    };
    let mut long_line = initialize(1);
    long_line.extend(std::iter::repeat_n(b'x', 1 << 20));
    for (name, tail, said) in [
        (
            "a length past memory",
            b"Content-Length: 99999999999999\r\n\r\n{}".to_vec(),
            "`Content-Length: 99999999999999`, more than the 1073741824 bytes a message may hold",
        ),
        (
            "the largest length",
            b"Content-Length: 18446744073709551615\r\n\r\n{}".to_vec(),
            "more than the 1073741824 bytes a message may hold",
        ),
        (
            "a length past u64",
            b"Content-Length: 99999999999999999999999\r\n\r\n{}".to_vec(),
            "`Content-Length: 99999999999999999999999`, which is not a number of bytes",
        ),
        (
            "input ending inside a message",
            b"Content-Length: 50\r\n\r\n{\"jsonrpc\"".to_vec(),
            "the input ended inside a message (10 of its 50 bytes)",
        ),
        (
            "a header line without end",
            long_line[initialize(1).len()..].to_vec(),
            "a header line longer than 4096 bytes",
        ),
    ] {
        let mut input = initialize(1);
        input.extend_from_slice(&tail);
        let output = run(input);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(said), "{name}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("memory allocation"),
            "{name}: {stderr}"
        );
        // The client was answered before the bad message.
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("\"serverInfo\""),
            "{name}"
        );
    }
    // A body that is not JSON-RPC is skipped: the request after it is answered.
    let mut input = initialize(1);
    input.extend_from_slice(b"Content-Length: 9\r\n\r\nnot json!");
    let shutdown = json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }).to_string();
    let exit = json!({ "jsonrpc": "2.0", "method": "exit" }).to_string();
    for body in [
        json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }).to_string(),
        shutdown,
        exit,
    ] {
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }
    let output = run(input);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("a message that is not JSON-RPC was skipped"),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("\"id\":2"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
