//! Baselines: the findings of an earlier JSON report, so that a new run can tell which findings
//! are new — for a CI gate where only new problems block, and for an official reviewing what
//! changed in a resubmission.

use std::collections::HashSet;
use std::path::Path;

use crate::base::i18n::Text;
use crate::base::read::{self, ReadError};
use crate::tr;

/// The fingerprints of an earlier report's findings.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    fingerprints: HashSet<String>,
}

/// The largest baseline read (1 GiB): a report of about a hundred thousand files. It is parsed
/// as it is read, keeping only fingerprints, so memory does not grow with its size.
pub const MAX_BASELINE_BYTES: u64 = 1024 * 1024 * 1024;

/// What of an earlier report a baseline needs; everything else is skipped unread.
#[derive(serde::Deserialize)]
struct Report {
    format: Option<String>,
    version: Option<u64>,
    files: Option<Vec<ReportFile>>,
}

#[derive(serde::Deserialize)]
struct ReportFile {
    #[serde(default)]
    findings: Vec<ReportFinding>,
}

#[derive(serde::Deserialize)]
struct ReportFinding {
    fingerprint: Option<String>,
    file: Option<String>,
    rule_id: Option<String>,
    outcome: Option<String>,
    path: Option<String>,
}

impl Baseline {
    /// Reads an earlier `--format json` report, of at most [`MAX_BASELINE_BYTES`].
    pub fn load(path: &Path) -> Result<Baseline, Text> {
        Baseline::load_within(path, MAX_BASELINE_BYTES)
    }

    /// Reads an earlier `--format json` report of at most `limit` bytes.
    pub fn load_within(path: &Path, limit: u64) -> Result<Baseline, Text> {
        let shown = path.display().to_string();
        let cannot_read = |error: ReadError| {
            let reason = error.reason();
            let (zh, en) = (reason.zh, reason.en);
            tr!(
                "无法读取基线 `{shown}`:{zh}",
                "cannot read the baseline `{shown}`: {en}"
            )
        };
        let mut reader = read::open_bounded(path, limit).map_err(cannot_read)?;
        let parsed: Result<Report, _> =
            serde_json::from_reader(std::io::BufReader::new(&mut reader));
        let report = match parsed {
            Ok(report) => report,
            Err(error) if reader.exceeded() => {
                return Err(cannot_read(reader.error(error.into())));
            }
            Err(error) if error.is_io() => return Err(cannot_read(reader.error(error.into()))),
            Err(error) => {
                // serde_json ends its message with the place; the place leads here instead.
                let (line, column) = (error.line(), error.column());
                let reason = error.to_string();
                let reason = reason
                    .strip_suffix(&format!(" at line {line} column {column}"))
                    .unwrap_or(&reason)
                    .to_owned();
                return Err(tr!(
                    "`{shown}:{line}:{column}`:不是 yimi 的 JSON 报告:{reason}",
                    "`{shown}:{line}:{column}`: not a yimi JSON report: {reason}"
                ));
            }
        };
        Baseline::from_report(report).map_err(|reason| {
            tr!(
                "`{shown}` 不是 yimi 的 JSON 报告:{reason}",
                "`{shown}` is not a yimi JSON report: {reason}"
            )
        })
    }

    /// Parses an earlier report's text.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let report: Report = serde_json::from_str(text).map_err(|error| error.to_string())?;
        Baseline::from_report(report)
    }

    fn from_report(report: Report) -> Result<Baseline, String> {
        if report.format.as_deref() != Some("yimi-report") {
            return Err("no `\"format\": \"yimi-report\"`".into());
        }
        let version = super::json::VERSION;
        match report.version {
            Some(found) if found == u64::from(version) => {}
            Some(found) => {
                return Err(format!(
                    "`\"version\": {found}`; this build reads reports of version {version}"
                ));
            }
            None => return Err("no `\"version\"`".into()),
        }
        let Some(files) = report.files else {
            return Err("no `\"files\"`".into());
        };
        let mut fingerprints = HashSet::new();
        for finding in files.into_iter().flat_map(|file| file.findings) {
            let fingerprint = match finding.fingerprint {
                Some(fingerprint) => fingerprint,
                None => super::fingerprint(
                    finding.file.as_deref().unwrap_or_default(),
                    finding.rule_id.as_deref().unwrap_or_default(),
                    finding.outcome.as_deref().unwrap_or_default(),
                    finding.path.as_deref().unwrap_or_default(),
                ),
            };
            fingerprints.insert(fingerprint);
        }
        Ok(Baseline { fingerprints })
    }

    /// Whether a finding with this fingerprint was in the baseline.
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.fingerprints.contains(fingerprint)
    }
}

#[cfg(test)]
mod tests {
    use super::Baseline;

    #[test]
    fn a_report_is_read_up_to_its_limit_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let report = r#"{"format": "yimi-report", "version": 1, "files": [{"findings": [{"fingerprint": "abc", "rule_id": "X"}]}]}"#;
        std::fs::write(&path, report).unwrap();
        let baseline = Baseline::load(&path).unwrap();
        assert!(baseline.contains("abc"));
        let error = Baseline::load_within(&path, 40).unwrap_err();
        assert_eq!(
            error.en,
            format!(
                "cannot read the baseline `{}`: the file is {} bytes, more than the limit of 40 bytes",
                path.display(),
                report.len()
            )
        );
    }

    #[test]
    fn only_a_report_of_this_version_with_files_is_a_baseline() {
        let refused = |text: &str| Baseline::parse(text).unwrap_err();
        assert_eq!(
            refused(r#"{"format": "yimi-report", "version": 2, "files": []}"#),
            "`\"version\": 2`; this build reads reports of version 1"
        );
        assert_eq!(
            refused(r#"{"format": "yimi-report", "files": []}"#),
            "no `\"version\"`"
        );
        assert_eq!(
            refused(r#"{"format": "yimi-report", "version": 1}"#),
            "no `\"files\"`"
        );
        assert!(
            refused(r#"{"format": "yimi-report", "version": 1, "files": [], "files": []}"#)
                .starts_with("duplicate field `files`")
        );
        assert!(Baseline::parse(r#"{"format": "yimi-report", "version": 1, "files": []}"#).is_ok());
    }

    #[test]
    fn fingerprints_compare_files_in_normal_form() {
        let current = std::env::current_dir().unwrap();
        let absolute = current.join("det/x.yaml").display().to_string();
        let plain = crate::report::fingerprint("det/x.yaml", "R", "fail", "a");
        for same in [
            "./det/x.yaml",
            "det//x.yaml",
            "./det/./x.yaml",
            absolute.as_str(),
        ] {
            assert_eq!(
                crate::report::fingerprint(same, "R", "fail", "a"),
                plain,
                "{same}"
            );
        }
        assert_ne!(
            crate::report::fingerprint("other/x.yaml", "R", "fail", "a"),
            plain
        );
    }

    /// A pipe has no size to refuse it by: it is stopped mid-parse by the limit, and the size is
    /// the reason given, not the truncated JSON.
    #[cfg(unix)]
    #[test]
    fn a_pipe_is_stopped_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let mut pipe = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
                let padding = " ".repeat(1000);
                // The reader stops early: a broken pipe is expected.
                let _ = write!(
                    pipe,
                    "{{\"format\": \"yimi-report\",{padding} \"files\": []}}"
                );
            })
        };
        let error = Baseline::load_within(&fifo, 100).unwrap_err();
        writer.join().unwrap();
        assert_eq!(
            error.en,
            format!(
                "cannot read the baseline `{}`: the file is more than the limit of 100 bytes",
                fifo.display()
            )
        );
    }
}
