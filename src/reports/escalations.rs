//! Escalations by name and how long their owners took to answer.
//!
//! An answer (`escalation`, `NAME answered: ...`) belongs to the earliest escalation of the
//! same item and name (`escalate`, `NAME: NOTE`) that has no answer yet; an answer with no
//! such escalation in the window (raised before it) is not counted.

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::{DateTime, Utc};

use super::gather::EscalationLine;
use super::percentile::median_p90;
use super::report::EscalationStats;
use crate::model::ItemId;

/// One row per name raised, sorted by name. Both lists are oldest first.
pub fn escalation_stats(
    raised: &[EscalationLine],
    answers: &[EscalationLine],
) -> Vec<EscalationStats> {
    let mut rows: BTreeMap<&str, (u64, Vec<i64>)> = BTreeMap::new();
    let mut open: HashMap<(ItemId, &str), VecDeque<DateTime<Utc>>> = HashMap::new();
    let mut events: Vec<(&EscalationLine, bool)> = raised.iter().map(|l| (l, false)).collect();
    events.extend(answers.iter().map(|l| (l, true)));
    // Oldest first; at the same instant the escalation comes before its answer.
    events.sort_by_key(|(line, answer)| (line.at, *answer));
    for (line, answer) in events {
        let key = (line.item, line.name.as_str());
        if !answer {
            rows.entry(&line.name).or_default().0 += 1;
            open.entry(key).or_default().push_back(line.at);
            continue;
        }
        let Some(asked) = open.get_mut(&key).and_then(VecDeque::pop_front) else {
            continue;
        };
        let row = rows.entry(&line.name).or_default();
        row.1.push((line.at - asked).num_seconds());
    }
    rows.into_iter()
        .map(|(name, (raised, mut waits))| {
            let answered = waits.len() as u64;
            let (answer_median_seconds, answer_p90_seconds) = median_p90(&mut waits);
            EscalationStats {
                name: name.to_string(),
                raised,
                answered,
                answer_median_seconds,
                answer_p90_seconds,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(item: ItemId, name: &str, minute: i64) -> EscalationLine {
        let start: DateTime<Utc> = "2026-11-23T08:00:00Z".parse().unwrap();
        EscalationLine {
            item,
            name: name.into(),
            at: start + chrono::Duration::minutes(minute),
        }
    }

    #[test]
    fn an_answer_goes_to_the_earliest_open_escalation_of_its_item_and_name() {
        let (a, b) = (ItemId::from_parts(1, 1), ItemId::from_parts(2, 2));
        let raised = [
            line(a, "legal", 0),
            line(a, "legal", 10),
            line(a, "brand", 5),
            line(b, "legal", 20),
        ];
        // a/legal answered at 30 (the one raised at 0: 30 min) and at 40 (raised at 10:
        // 30 min); b/legal at 26 (6 min); a/brand never; an answer for c with nothing open.
        let c = ItemId::from_parts(3, 3);
        let answers = [
            line(b, "legal", 26),
            line(a, "legal", 30),
            line(a, "legal", 40),
            line(c, "legal", 41),
        ];
        let rows = escalation_stats(&raised, &answers);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "brand");
        assert_eq!((rows[0].raised, rows[0].answered), (1, 0));
        assert_eq!(rows[0].answer_median_seconds, None);
        assert_eq!(rows[1].name, "legal");
        assert_eq!((rows[1].raised, rows[1].answered), (3, 3));
        assert_eq!(rows[1].answer_median_seconds, Some(30 * 60));
        assert_eq!(rows[1].answer_p90_seconds, Some(30 * 60));
    }

    #[test]
    fn an_answer_before_its_escalation_does_not_count() {
        let a = ItemId::from_parts(1, 1);
        let rows = escalation_stats(&[line(a, "pr", 10)], &[line(a, "pr", 5)]);
        assert_eq!((rows[0].raised, rows[0].answered), (1, 0));
    }
}
