//! Evidence and participation dated after the day of the check have not happened yet: a report
//! dated 2099-06-01 is not on file today, and a survey dated 2099-02-10 has heard no child. Rules
//! compare such dates with the decision date, so a decision date later still made them count as
//! done (hostile review 15 X12, the sibling of H10's decision date after the day of the check).
//! Each such date gets a warning and is read as not stated ([`Project::forget`]): the rules that
//! ask when it was done are undecided, never passed on it. Only the date is forgotten, not the
//! item: a file that stated no date at all would be read the same way, and stating a date must
//! never overturn what the file decided without it (`tests/properties.rs`, "filling in a field
//! never overturns a decided outcome", found the whole item's forgetting turning a fail into an
//! undecided rule).
//! Only dates of something done are read so: completion, delivery and decision dates are plans
//! and may lie ahead.

use crate::base::diagnostic::Diagnostic;
use crate::project::date::Date;
use crate::project::yaml::YamlPath;
use crate::project::{Data, Project};
use crate::tr;

/// The warning's code.
pub const DATED_AFTER_THE_CHECK: &str = "project::dated-after-check";

/// Reads each item of `evidence` and `participation` dated after `day` (the day of the check:
/// today or `--as-of`) as not stated, with a warning at its date.
pub fn forget_undone(project: &mut Project, day: Date) {
    let mut undone = Vec::new();
    for list in ["evidence", "participation"] {
        let Some((items, record)) = crate::project::load::records(project, &[list]) else {
            continue;
        };
        let Some((field, _)) = record.field("date") else {
            continue;
        };
        for (index, slots) in items {
            if let Some(Some(Data::Date(date))) = slots.get(field)
                && *date > day
            {
                undone.push((list, index, *date));
            }
        }
    }
    // In the file's order, whichever list comes first.
    let mut undone: Vec<_> = undone
        .into_iter()
        .map(|(list, index, date)| {
            let item = YamlPath::root().key(list).index(index);
            let at = item.key("date");
            let span = project.tree.at(&at).map_or(0..0, |node| node.span.clone());
            (span, item, at, date)
        })
        .collect();
    undone.sort_by_key(|(span, ..)| span.start);
    for (span, item, at, date) in undone {
        let evidence = item.segments.first()
            == Some(&crate::project::yaml::Segment::Key("evidence".to_owned()));
        let shown = at.to_string();
        let (message, help) = if evidence {
            (
                tr!(
                    "`{shown}` 为 {date},晚于检查之日 {day}:尚未形成的材料不能证明已经做到,这一日期按未注明处理",
                    "`{shown}` is {date}, after the day of the check ({day}): a document not yet issued shows nothing done, so this date is read as not stated"
                ),
                tr!(
                    "更正日期;材料尚未形成的,形成后再列入。检查之日为今天,或为检查另行指定的日期",
                    "correct the date; if the document is not issued yet, list it once it is. The day of the check is today, or the day the check was asked to judge at"
                ),
            )
        } else {
            (
                tr!(
                    "`{shown}` 为 {date},晚于检查之日 {day}:尚未开展的活动没有听取任何人的意见,这一日期按未注明处理",
                    "`{shown}` is {date}, after the day of the check ({day}): a hearing not yet held has heard no one, so this date is read as not stated"
                ),
                tr!(
                    "更正日期;活动尚未开展的,开展后再列入。检查之日为今天,或为检查另行指定的日期",
                    "correct the date; if the hearing is not held yet, list it once it is. The day of the check is today, or the day the check was asked to judge at"
                ),
            )
        };
        project.warnings.push(
            Diagnostic::warning(
                DATED_AFTER_THE_CHECK,
                &project.file,
                span,
                message,
                tr!("晚于检查之日", "after the day of the check"),
            )
            .with_help(help),
        );
        project.forget(&at);
    }
}
