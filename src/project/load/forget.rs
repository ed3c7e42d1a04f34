//! A stated value that is not believed is read as if the file did not state it: the rules that
//! read it are undecided for want of it (never a pass on a claim the file itself undermines),
//! and a report names it as missing at its place. Its warning, which says why, is the caller's.

use super::{Data, Project};
use crate::project::types::{RecordTy, Ty, project_type};
use crate::project::yaml::{Node, Segment, Value, YamlPath};

impl Project {
    /// Reads the value at `path` as not stated: its slot is emptied and its node in the tree
    /// becomes a null at the same place. A list item (a path ending in an index) becomes a record
    /// that states nothing, so that the items after it keep their places. A path the model or
    /// the file does not have changes nothing.
    pub fn forget(&mut self, path: &YamlPath) {
        forget_data(&mut self.data, project_type(), &path.segments);
        if let Some(node) = node_mut(&mut self.tree, &path.segments) {
            node.value = Value::Null;
        }
    }
}

fn forget_data(slots: &mut [Option<Data>], record: &RecordTy, segments: &[Segment]) {
    let Some((Segment::Key(name), rest)) = segments.split_first() else {
        return;
    };
    let Some((index, field)) = record.field(name) else {
        return;
    };
    let Some(slot) = slots.get_mut(index) else {
        return;
    };
    if rest.is_empty() {
        *slot = None;
        return;
    }
    match (slot, &field.ty, rest.split_first()) {
        (Some(Data::Record(inner)), Ty::Record(ty), _) => forget_data(inner, ty, rest),
        (Some(Data::List(items)), Ty::List(item_ty), Some((Segment::Index(at), after))) => {
            let (Some(item), Ty::Record(ty)) = (items.get_mut(*at), item_ty.as_ref()) else {
                return;
            };
            if after.is_empty() {
                *item = Data::Record(vec![None; ty.fields.len()]);
            } else if let Data::Record(inner) = item {
                forget_data(inner, ty, after);
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(mut node: &'a mut Node, segments: &[Segment]) -> Option<&'a mut Node> {
    for segment in segments {
        node = match (segment, &mut node.value) {
            (Segment::Key(key), Value::Map(entries)) => {
                &mut entries.iter_mut().find(|entry| entry.key == *key)?.value
            }
            (Segment::Index(index), Value::Seq(items)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(node)
}
