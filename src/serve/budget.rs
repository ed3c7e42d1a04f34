//! The server's memory for checks: one budget shared by every request, so that what checks in
//! flight hold together stays under `--max-check-memory` however many clients submit at once.
//!
//! What a check holds is not known before it runs, but it grows with the bytes checked: a
//! request is weighed before its check starts by its YAML bytes (after decompression) times the
//! most any measured file needed per byte, and waits until that much of the budget is free.
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

/// Bytes a check holds for each byte of the file it checks, at most, as measured (release,
/// VmHWM in /proc/PID/status less the idle server, one request at a time): the densest shape
/// found, a list of unknown values (`includes: [q,q,…]`, two bytes a value, each a located
/// error with its hint), took 2,380 bytes a byte (200 KB: 475 MB; 24 KB: 58 MB); 12 000
/// facilities of an unknown kind (168 KB) 450; 60 000 facilities each missing a key (1.74 MB)
/// 85; a realistic file of 5 KB about 380, its tables more than its values. The worst sets
/// the weight, with room: a hostile file must not weigh less than it holds.
pub(crate) const BYTES_HELD_PER_FILE_BYTE: u64 = 3_000;

/// Bytes a check holds for each value of its file, at most: the densest shape above is 4.8 KB
/// a value. A file has at most `--max-values` values, so a file weighs no more than this many
/// times that, whatever its size (1.2 GB with the default 200 000).
pub(crate) const BYTES_HELD_PER_VALUE: u64 = 6_000;

/// Bytes a request holds for each byte submitted, besides the check of its largest file: the
/// files themselves, the page that carries them back in base64 (4 for 3) and lists each one's
/// YAML escaped, with every line numbered and anchored.
pub(crate) const BYTES_HELD_PER_SUBMITTED_BYTE: u64 = 8;

/// Bytes a download's report may hold for each byte submitted, before the report's own cap
/// (`check::report_limit`): JSON lists every problem with its place and hint, about a kilobyte
/// each, and the densest file above has one every two bytes.
pub(crate) const REPORT_BYTES_PER_SUBMITTED_BYTE: u64 = 1_000;

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

/// What a check of `files` is taken to hold: its largest file's check (files are checked one at
/// a time), which `max_values` bounds whatever the file's size, and what the request keeps of
/// all of them.
pub fn weight_of_files(files: &[Submitted], max_values: usize) -> u64 {
    let largest = files.iter().map(|file| file.bytes.len()).max().unwrap_or(0);
    let total: usize = files.iter().map(|file| file.bytes.len()).sum();
    weight(largest as u64, total as u64, max_values as u64)
}

/// What a check whose largest file has `largest` bytes, of `total` in all, is taken to hold.
pub fn weight(largest: u64, total: u64, max_values: u64) -> u64 {
    let check = largest
        .saturating_mul(BYTES_HELD_PER_FILE_BYTE)
        .min(max_values.saturating_mul(BYTES_HELD_PER_VALUE));
    check
        .saturating_add(total.saturating_mul(BYTES_HELD_PER_SUBMITTED_BYTE))
        .saturating_add(BYTES_HELD_AT_LEAST)
}

/// What a download of `files` is taken to hold: their check, and the report, up to its cap.
pub fn weight_of_download(files: &[Submitted], max_values: usize, report_limit: usize) -> u64 {
    let total: usize = files.iter().map(|file| file.bytes.len()).sum();
    let report = (total as u64)
        .saturating_mul(REPORT_BYTES_PER_SUBMITTED_BYTE)
        .min(report_limit as u64);
    weight_of_files(files, max_values).saturating_add(report)
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
                let needed = megabytes(*needed);
                let budget = megabytes(*budget);
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

    #[test]
    fn a_file_weighs_by_its_bytes_up_to_what_its_values_can_hold() {
        // A realistic file: 5 KB.
        assert_eq!(
            weight(5_000, 5_000, 200_000),
            15_000_000 + 40_000 + 1024 * 1024
        );
        // 1.74 MB would weigh 5.2 GB by its bytes; 200 000 values cap it at 1.2 GB.
        assert_eq!(
            weight(1_740_000, 1_740_000, 200_000),
            1_200_000_000 + 13_920_000 + 1024 * 1024
        );
        assert_eq!(weight(u64::MAX, u64::MAX, u64::MAX), u64::MAX);
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
