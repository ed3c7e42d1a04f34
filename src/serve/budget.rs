//! The server's memory for checks: one budget shared by every request, so that what checks in
//! flight hold together stays under `--max-check-memory` however many clients submit at once.
//!
//! What a check holds is not known before it runs, but it grows with the values checked: a
//! request is weighed before its check starts by measuring each file's YAML as the loader will
//! read it (its values with every alias expanded, and their text), times the most any
//! measured file needed per value, and waits until that much of the budget is free.
//! A request that waits longer than `--queue-timeout` is answered 503 with `Retry-After`; one
//! heavier than the whole budget could never run and is answered 413 at once.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use super::ServeOptions;
use super::page;
use super::upload::Submitted;
use crate::base::i18n::Lang;
use crate::project::yaml::AliasReuse;

/// Bytes a check holds for each value of its file, at most, as measured (release, VmHWM in
/// /proc/PID/status less the idle server, one request at a time): the densest shape found, a
/// list of unknown values (`includes: [q,q,…]`, each a located error with its hint), took 4.8 KB
/// a value (200 KB: 475 MB), and a list of them used 190 times by a YAML alias (10 KB, 190 000
/// values) 4.7 KB; 12 000 facilities of an unknown kind (168 KB) about 2 KB; 60 000 facilities
/// each missing a key (1.74 MB) under 1 KB; a realistic file of 5 KB about 6 KB, its tables
/// more than its values. Values are counted as the YAML loader counts them, every expansion of
/// an alias included, so a file cannot weigh less than it holds by naming one list many times.
pub(crate) const BYTES_HELD_PER_VALUE: u64 = 6_000;

/// Bytes a check holds for each byte of text in its values, aliases expanded: the parsed tree
/// holds each copy, the project model another, with room.
pub(crate) const BYTES_HELD_PER_TEXT_BYTE: u64 = 4;

/// Bytes a check holds for each byte of its file, whatever its values: the text, its index of
/// lines (eight bytes a line, so a file of empty lines holds eight a byte), with room.
pub(crate) const BYTES_HELD_PER_FILE_BYTE: u64 = 16;

/// Bytes a request holds for each byte submitted, besides the check of its largest file: the
/// files themselves, the page that carries them back in base64 (4 for 3) and lists each one's
/// YAML escaped, with every line numbered and anchored.
pub(crate) const BYTES_HELD_PER_SUBMITTED_BYTE: u64 = 8;

/// Bytes a download holds for each value of the file being written, besides its check: the
/// JSON writer builds each file's document before it writes it, several strings a problem. As
/// measured (release, VmHWM): the JSON download of the 10 KB alias file (190 000 values, each an
/// error) held 1.85 GB, 0.95 GB more than its check; `check --format json` 2.08 GB against
/// 0.91 GB for `plain`, 6.1 KB a value more.
pub(crate) const REPORT_HELD_PER_VALUE: u64 = 8_000;

/// Bytes of report a value of the files may make, before the report's own cap
/// (`check::report_limit`): JSON lists every problem with its place and hint, more than a
/// kilobyte each (the alias file's passed 256 MiB).
pub(crate) const REPORT_BYTES_PER_VALUE: u64 = 2_000;

/// What every request holds however small its files: its page and the check's own tables.
const BYTES_HELD_AT_LEAST: u64 = 1024 * 1024;

/// The budget's unit: a semaphore counts permits, one per KiB, so that 4 TiB still fits the
/// `u32` a request may ask for at once.
const UNIT: u64 = 1024;

/// The most `--max-check-memory` may be: what a `u32` of KiB counts.
pub const MAX_CHECK_MEMORY: u64 = u32::MAX as u64 * UNIT;

/// The default of `--max-check-memory`: half the machine's memory (`MemTotal` in
/// /proc/meminfo), so that checks alone never take more than half of it; 2 GiB where the
/// system does not say.
pub fn default_check_memory() -> u64 {
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))
                .and_then(|rest| rest.trim().strip_suffix("kB"))
                .and_then(|kib| kib.trim().parse::<u64>().ok())
        });
    match total {
        Some(kib) => (kib.saturating_mul(1024) / 2).clamp(256 * 1024 * 1024, MAX_CHECK_MEMORY),
        None => 2 * 1024 * 1024 * 1024,
    }
}

/// What a file's YAML holds once it is read: its values, counted as the loader counts them
/// (every scalar, key, list and mapping, and for an alias everything the value it names
/// holds), and the bytes of their text, aliases expanded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measured {
    /// Values, aliases expanded.
    pub values: u64,
    /// Bytes of text in the values, aliases expanded.
    pub text: u64,
}

impl Measured {
    fn add(&mut self, other: Measured) {
        self.values = self.values.saturating_add(other.values);
        self.text = self.text.saturating_add(other.text);
    }
}

/// Measures `bytes` as the YAML loader will read them, from the parser's events alone: no tree
/// is built, so measuring holds only a count per anchor and per open list, however large the
/// file expands. Measuring stops where the loader stops reading (past `limits.max_values`,
/// deeper than `limits.max_depth`, at a syntax error, at the alias that re-uses more values
/// than the file writes out: the loader's own rule, [`AliasReuse`]), so the count is never less
/// than what a check of the file holds, and a file the loader refuses at once weighs what it
/// read before it refused. A file that is not UTF-8 is refused before it is parsed: nothing.
pub fn measure(bytes: &[u8], limits: crate::project::yaml::Limits) -> Measured {
    use saphyr_parser::{Event, Parser};
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Measured::default();
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let max_values = u64::try_from(limits.max_nodes).unwrap_or(u64::MAX);
    let mut anchors: std::collections::HashMap<usize, Measured> = std::collections::HashMap::new();
    // Lists and mappings not yet ended: their anchor and what they hold so far.
    let mut open: Vec<(usize, Measured)> = Vec::new();
    let mut total = Measured::default();
    let mut aliases = AliasReuse::default();
    let mut parser = Parser::new_from_str(text);
    while let Some(Ok((event, _))) = parser.next_event() {
        let added = match event {
            Event::Scalar(value, _, anchor, _) => {
                let scalar = Measured {
                    values: 1,
                    text: value.len() as u64,
                };
                if anchor > 0 {
                    anchors.insert(anchor, scalar);
                }
                aliases.write(value.len());
                scalar
            }
            Event::Alias(anchor) => {
                let copied = anchors.get(&anchor).copied().unwrap_or_default();
                // The loader refuses the file at this alias, before it copies anything.
                if !aliases.reuse(crate::project::yaml::Weight {
                    values: usize::try_from(copied.values).unwrap_or(usize::MAX),
                    bytes: usize::try_from(copied.text).unwrap_or(usize::MAX),
                }) {
                    break;
                }
                copied
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= limits.max_depth {
                    break;
                }
                if total.values >= max_values {
                    break;
                }
                let collection = Measured { values: 1, text: 0 };
                aliases.write(0);
                total.add(collection);
                open.push((anchor, collection));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((anchor, inside)) = open.pop() else {
                    continue;
                };
                if anchor > 0 {
                    anchors.insert(anchor, inside);
                }
                // Counted in the total as it was read; the list around it holds it too.
                if let Some((_, around)) = open.last_mut() {
                    around.add(inside);
                }
                continue;
            }
            _ => continue,
        };
        // The loader counts a value before it makes it, and refuses the one that passes the
        // limit: what it holds then is what came before.
        if total.values.saturating_add(added.values) > max_values {
            break;
        }
        total.add(added);
        if let Some((_, around)) = open.last_mut() {
            around.add(added);
        }
    }
    total
}

/// What a check of one file of `bytes` bytes that measures `measured` is taken to hold.
pub fn weight_of_file(bytes: u64, measured: Measured) -> u64 {
    measured
        .values
        .saturating_mul(BYTES_HELD_PER_VALUE)
        .saturating_add(measured.text.saturating_mul(BYTES_HELD_PER_TEXT_BYTE))
        .saturating_add(bytes.saturating_mul(BYTES_HELD_PER_FILE_BYTE))
}

/// What a check of `files` is taken to hold: its heaviest file's check (files are checked one
/// at a time), and what the request keeps of all of them; with `report_limit`, a download's
/// too: its heaviest file's document and the report, up to its cap, twice over (the bytes grow
/// in a buffer that doubles as it fills). Each file is measured, so this takes time linear in
/// the files' bytes: it runs where checks run.
pub fn weight_of_files(
    files: &[Submitted],
    limits: crate::project::yaml::Limits,
    report_limit: Option<usize>,
) -> u64 {
    let mut heaviest = 0;
    let mut most_values = 0;
    let mut all_values: u64 = 0;
    for file in files {
        let measured = measure(&file.bytes, limits);
        heaviest = heaviest.max(weight_of_file(file.bytes.len() as u64, measured));
        most_values = most_values.max(measured.values);
        all_values = all_values.saturating_add(measured.values);
    }
    let total: usize = files.iter().map(|file| file.bytes.len()).sum();
    let request = with_request(heaviest, total as u64);
    match report_limit {
        None => request,
        Some(limit) => {
            let report = all_values
                .saturating_mul(REPORT_BYTES_PER_VALUE)
                .min(limit as u64);
            request
                .saturating_add(most_values.saturating_mul(REPORT_HELD_PER_VALUE))
                .saturating_add(report.saturating_mul(2))
        }
    }
}

/// What a request whose heaviest file's check weighs `check`, of `total` bytes submitted, is
/// taken to hold.
pub fn with_request(check: u64, total: u64) -> u64 {
    check
        .saturating_add(total.saturating_mul(BYTES_HELD_PER_SUBMITTED_BYTE))
        .saturating_add(BYTES_HELD_AT_LEAST)
}

/// What a submission of one file, `file`, is taken to hold with the default limits (for tests
/// and measurements: the server weighs with its own).
pub fn weight(file: &[u8]) -> u64 {
    let measured = measure(file, crate::project::yaml::Limits::default());
    with_request(
        weight_of_file(file.len() as u64, measured),
        file.len() as u64,
    )
}

/// The budget: permits of [`UNIT`] bytes, as many as `--max-check-memory` allows.
pub(crate) struct Budget {
    permits: Arc<tokio::sync::Semaphore>,
    /// The whole budget, in units.
    units: u32,
}

/// Part of the budget, held while a check runs and given back when it is dropped.
pub(crate) type Held = tokio::sync::OwnedSemaphorePermit;

/// Why a check did not start.
#[derive(Debug)]
pub(crate) enum Refused {
    /// It would need more than the whole budget.
    TooLarge {
        /// What it was taken to need, in bytes.
        needed: u64,
        /// The budget, in bytes.
        budget: u64,
    },
    /// The budget (or a check slot) did not come free within `--queue-timeout`.
    Busy {
        /// How long it waited.
        waited: Duration,
    },
    /// The server is stopping.
    Stopping,
}

impl Budget {
    pub(crate) fn new(bytes: u64) -> Budget {
        let units = u32::try_from(bytes.div_ceil(UNIT).max(1)).unwrap_or(u32::MAX);
        Budget {
            permits: Arc::new(tokio::sync::Semaphore::new(units as usize)),
            units,
        }
    }

    /// The whole budget, in bytes.
    pub(crate) fn bytes(&self) -> u64 {
        u64::from(self.units) * UNIT
    }

    /// Takes `needed` bytes of the budget, waiting until `deadline` at the longest (in turn:
    /// a waiting request is not overtaken by smaller ones that came after it).
    pub(crate) async fn take(
        &self,
        needed: u64,
        deadline: tokio::time::Instant,
        waited: Duration,
    ) -> Result<Held, Refused> {
        let units = needed.div_ceil(UNIT).max(1);
        let units = match u32::try_from(units) {
            Ok(units) if units <= self.units => units,
            _ => {
                return Err(Refused::TooLarge {
                    needed,
                    budget: self.bytes(),
                });
            }
        };
        match tokio::time::timeout_at(deadline, self.permits.clone().acquire_many_owned(units))
            .await
        {
            Ok(Ok(held)) => Ok(held),
            Ok(Err(_)) => Err(Refused::Stopping),
            Err(_) => Err(Refused::Busy { waited }),
        }
    }
}

impl Refused {
    /// The page that says why, in the request's language.
    pub(crate) fn page(&self, options: &ServeOptions, lang: Lang) -> Response {
        match self {
            Refused::TooLarge { needed, budget } => {
                // A request only just over the budget would read "about 2 MB, more than … (2 MB)"
                // in megabytes: then in kilobytes, the need rounded up and the budget down.
                let (needed, budget) = match (megabytes(*needed), megabytes(*budget)) {
                    (needed_shown, budget_shown) if needed_shown == budget_shown => (
                        format!("{} kB", needed.div_ceil(1000)),
                        format!("{} kB", budget / 1000),
                    ),
                    shown => shown,
                };
                page::error_page(
                    options,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    lang,
                    crate::tr!(
                        "检查这份提交材料估计需要约 {needed} 内存,超过本服务同时用于检查的全部内存({budget}):请减少一次提交的文件,或把大文件拆开;运行本服务的人可以调大检查内存上限",
                        "checking this submission would take about {needed} of memory, more than the server gives all checks together ({budget}): send fewer files at a time, or split a large file; whoever runs the server can raise the check memory limit"
                    )
                    .get(lang),
                )
            }
            Refused::Busy { waited } => {
                let seconds = waited.as_secs().max(1);
                let mut response = page::error_page(
                    options,
                    StatusCode::SERVICE_UNAVAILABLE,
                    lang,
                    crate::tr!(
                        "服务器正忙于检查其他提交材料,等待 {seconds} 秒后仍无空闲:请稍后再提交",
                        "the server is busy checking other submissions and had no room for this one after {seconds} s: submit it again in a little while"
                    )
                    .get(lang),
                );
                // Past the wait a queue gives, the next try is as likely to find room as any.
                if let Ok(value) = HeaderValue::from_str(&seconds.min(60).to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                response
            }
            Refused::Stopping => page::stopping(options, lang),
        }
    }
}

/// Bytes as a person reads a memory size: `870 MB`, `1.5 GB`.
fn megabytes(bytes: u64) -> String {
    const MB: u64 = 1_000_000;
    if bytes >= 10_000 * MB {
        format!("{} GB", bytes / (1000 * MB))
    } else if bytes >= 1000 * MB {
        format!(
            "{}.{} GB",
            bytes / (1000 * MB),
            bytes % (1000 * MB) / (100 * MB)
        )
    } else {
        format!("{} MB", bytes.div_ceil(MB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(yaml: &str) -> Measured {
        measure(yaml.as_bytes(), crate::project::yaml::Limits::default())
    }

    #[test]
    fn a_file_is_measured_by_its_values_with_every_alias_expanded() {
        // A mapping, two keys, a list and its three items, as the loader counts them.
        assert_eq!(
            measured("a: [q, q, q]\nb: x\n"),
            Measured { values: 8, text: 6 }
        );
        // `*l` is the whole list (four values) again each time it is named: the mapping, its two
        // keys, the list written out, and a list of three copies.
        assert_eq!(
            measured("a: &l [q, q, q]\nb: [*l, *l, *l]\n"),
            Measured {
                values: 1 + 2 + 4 + (1 + 3 * 4),
                text: 2 + 3 + 3 * 3
            }
        );
        // An anchor inside an anchor expands as the loader expands it: `*a` is 3 values, `*b`
        // (a list of two `*a`) 7.
        assert_eq!(
            measured("a: &a [q, q]\nb: &b [*a, *a]\nc: [*b, *b]\n").values,
            1 + 3 + 3 + (1 + 2 * 3) + (1 + 2 * 7)
        );
        // Not YAML past a point, not UTF-8: what the loader reads before it refuses.
        // (The mapping, its key, the list and its two items, read before the list is found
        // unclosed.)
        assert_eq!(measured("a: [q, q\n").values, 5);
        assert_eq!(
            measure(b"\xff\xfe", crate::project::yaml::Limits::default()),
            Measured::default()
        );
    }

    #[test]
    fn measuring_stops_where_the_loader_stops() {
        let limits = crate::project::yaml::Limits {
            max_depth: 3,
            max_nodes: 50,
        };
        // A billion laughs: ten levels of ten aliases each would be 10^10 values.
        let mut bomb = String::from("a0: &a0 [q, q, q, q, q, q, q, q, q, q]\n");
        for level in 1..10 {
            let previous = level - 1;
            bomb.push_str(&format!(
                "a{level}: &a{level} [{}]\n",
                vec![format!("*a{previous}"); 10].join(", ")
            ));
        }
        // Up to the limit, not past it: the loader refuses the alias that passes it.
        let values = measure(bomb.as_bytes(), limits).values;
        assert!((40..=50).contains(&values), "{values}");
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(measure(deep.as_bytes(), limits).values, 3);
    }

    /// The loader's count of `yaml`'s values, or the code it refuses it with.
    fn loaded(yaml: &str) -> Result<usize, &'static str> {
        let file = crate::base::diagnostic::SourceFile::new("p.yaml", yaml.to_owned());
        crate::project::yaml::parse_counted(&file, crate::project::yaml::Limits::default())
            .map(|parsed| parsed.values)
            .map_err(|error| error.code)
    }

    #[test]
    fn measuring_stops_at_the_alias_the_loader_refuses() {
        // A list of ten named a hundred times re-uses exactly the floor: read whole, and
        // measured as the loader counts it.
        let list = format!("a: &l [{}]\n", ["q"; 9].join(","));
        let at_floor = format!("{list}b: [{}]\n", vec!["*l"; 100].join(","));
        assert_eq!(loaded(&at_floor), Ok(1 + 1 + 10 + 1 + 1 + 100 * 10));
        assert_eq!(measured(&at_floor).values, 1 + 1 + 10 + 1 + 1 + 100 * 10);
        // One use more passes it: the loader refuses the file at the 101st `*l`, and the
        // measure stops there too, without that copy.
        let past_floor = format!("{list}b: [{}]\n", vec!["*l"; 101].join(","));
        assert_eq!(loaded(&past_floor), Err("yaml::alias-expansion"));
        assert_eq!(measured(&past_floor).values, 1 + 1 + 10 + 1 + 1 + 100 * 10);
    }

    #[test]
    fn a_file_weighs_by_its_values_aliases_expanded_not_by_its_bytes() {
        // A list of a hundred unknown values named by nine facilities: 900 values copied, under
        // the loader's floor, so the file is read whole and holds ten times what it writes.
        let mut shared = format!("x-list: &l [{}]\nfacilities:\n", vec!["q"; 100].join(","));
        for _ in 0..9 {
            shared.push_str("  - {kind: public_toilet, includes: *l}\n");
        }
        assert!(loaded(&shared).is_ok());
        let measured = measured(&shared);
        assert_eq!(measured.values, 1 + 1 + 101 + 1 + 1 + 9 * (4 + 101));
        assert!(weight(shared.as_bytes()) > 6_000_000, "{measured:?}");
        // The hostile review's file: a list of 1 000 unknown values named by 190 facilities
        // (190 000 values, over a gigabyte by values). The loader refuses it at the second
        // `*l`, so it weighs what the loader reads before that: the mapping, its two keys, the
        // list and its items, two facilities (a mapping and three scalars each) and one copy.
        let mut alias_bomb = format!("x-list: &l [{}]\nfacilities:\n", vec!["q"; 1000].join(","));
        for _ in 0..190 {
            alias_bomb.push_str("  - {kind: public_toilet, includes: *l}\n");
        }
        assert!(alias_bomb.len() < 10_000, "{}", alias_bomb.len());
        assert_eq!(loaded(&alias_bomb), Err("yaml::alias-expansion"));
        let measured = super::measure(
            alias_bomb.as_bytes(),
            crate::project::yaml::Limits::default(),
        );
        assert_eq!(measured.values, 1 + 1 + 1001 + 1 + 1 + 2 * 4 + 1001);
        assert!(weight(alias_bomb.as_bytes()) < 20_000_000);
        // One value of a megabyte weighs its text, not a value's worth.
        let long = format!("a: {}\n", "x".repeat(1_000_000));
        assert_eq!(
            weight(long.as_bytes()),
            3 * 6_000 + 1_000_001 * 4 + 1_000_004 * 16 + 1_000_004 * 8 + 1024 * 1024
        );
        assert_eq!(
            weight_of_file(
                u64::MAX,
                Measured {
                    values: u64::MAX,
                    text: u64::MAX
                }
            ),
            u64::MAX
        );
    }

    #[test]
    fn the_budget_refuses_what_never_fits_and_times_out_what_does_not_fit_now() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let budget = Budget::new(10 * 1024 * 1024);
            let soon = || tokio::time::Instant::now() + Duration::from_millis(50);
            let wait = Duration::from_secs(1);
            assert!(matches!(
                budget.take(11 * 1024 * 1024, soon(), wait).await,
                Err(Refused::TooLarge {
                    needed: 11_534_336,
                    budget: 10_485_760
                })
            ));
            let held = budget.take(6 * 1024 * 1024, soon(), wait).await.unwrap();
            assert!(matches!(
                budget.take(6 * 1024 * 1024, soon(), wait).await,
                Err(Refused::Busy { .. })
            ));
            drop(held);
            assert!(budget.take(10 * 1024 * 1024, soon(), wait).await.is_ok());
        });
    }

    #[test]
    fn memory_sizes_read_as_people_say_them() {
        assert_eq!(megabytes(16_000_000), "16 MB");
        assert_eq!(megabytes(1_200_000_001), "1.2 GB");
        assert_eq!(megabytes(11_500_000_000), "11 GB");
    }
}
