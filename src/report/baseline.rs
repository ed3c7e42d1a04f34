//! Baselines: the findings of an earlier JSON report, so that a new run can tell which findings
//! are new — for a CI gate where only new problems block, and for an official reviewing what
//! changed in a resubmission.

use std::collections::HashSet;
use std::path::Path;

use crate::base::i18n::Text;
use crate::tr;

/// The fingerprints of an earlier report's findings.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    fingerprints: HashSet<String>,
}

impl Baseline {
    /// Reads an earlier `--format json` report.
    pub fn load(path: &Path) -> Result<Baseline, Text> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| {
            let reason = error.to_string();
            tr!(
                "无法读取基线 `{shown}`:{reason}",
                "cannot read the baseline `{shown}`: {reason}"
            )
        })?;
        Baseline::parse(&text).map_err(|reason| {
            tr!(
                "`{shown}` 不是 yimi 的 JSON 报告:{reason}",
                "`{shown}` is not a yimi JSON report: {reason}"
            )
        })
    }

    /// Parses an earlier report's text.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let report: serde_json::Value =
            serde_json::from_str(text).map_err(|error| error.to_string())?;
        if report.get("format").and_then(|format| format.as_str()) != Some("yimi-report") {
            return Err("no `\"format\": \"yimi-report\"`".into());
        }
        let mut fingerprints = HashSet::new();
        for file in report
            .get("files")
            .and_then(|files| files.as_array())
            .into_iter()
            .flatten()
        {
            for finding in file
                .get("findings")
                .and_then(|findings| findings.as_array())
                .into_iter()
                .flatten()
            {
                let field = |name: &str| {
                    finding
                        .get(name)
                        .and_then(|value| value.as_str())
                        .unwrap_or_default()
                };
                let fingerprint = match finding.get("fingerprint").and_then(|value| value.as_str())
                {
                    Some(fingerprint) => fingerprint.to_owned(),
                    None => super::fingerprint(
                        field("file"),
                        field("rule_id"),
                        field("outcome"),
                        field("path"),
                    ),
                };
                fingerprints.insert(fingerprint);
            }
        }
        Ok(Baseline { fingerprints })
    }

    /// Whether a finding with this fingerprint was in the baseline.
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.fingerprints.contains(fingerprint)
    }
}
