//! Finding a response by what a CM types: the picker's fuzzy ranking (fuzzy-matcher's skim
//! algorithm over name, tags and body; a name match weighs most, then tags, then the body)
//! and, for a name that is not in the library, the close ones to suggest.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use super::library::CannedResponse;

/// How a name, a tag and a body match weigh against each other.
const NAME_WEIGHT: i64 = 3;
const TAG_WEIGHT: i64 = 2;
const BODY_WEIGHT: i64 = 1;

/// One ranked response: its index in the list given, the score and the matched characters
/// of its name (char indices, for highlighting).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ranked {
    pub index: usize,
    pub score: i64,
    pub name_hits: Vec<usize>,
}

/// The responses matching `query`, best first (ties by name); all of them, by name, when
/// the query is blank.
pub fn rank(responses: &[&CannedResponse], query: &str) -> Vec<Ranked> {
    let query = query.trim();
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut ranked: Vec<Ranked> = responses
        .iter()
        .enumerate()
        .filter_map(|(index, response)| {
            score(&matcher, response, query).map(|(score, name_hits)| Ranked {
                index,
                score,
                name_hits,
            })
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| responses[a.index].name.cmp(&responses[b.index].name))
    });
    ranked
}

fn score(
    matcher: &SkimMatcherV2,
    response: &CannedResponse,
    query: &str,
) -> Option<(i64, Vec<usize>)> {
    if query.is_empty() {
        return Some((0, Vec::new()));
    }
    let name = matcher.fuzzy_indices(&response.name, query);
    let tags = matcher.fuzzy_match(&response.tags.join(" "), query);
    let body = matcher.fuzzy_match(&response.body, query);
    let by_name = name.as_ref().map(|(s, _)| s * NAME_WEIGHT);
    let others = [tags.map(|s| s * TAG_WEIGHT), body.map(|s| s * BODY_WEIGHT)];
    let best = by_name
        .into_iter()
        .chain(others.into_iter().flatten())
        .max()?;
    let hits = name
        .filter(|(s, _)| s * NAME_WEIGHT == best)
        .map(|(_, hits)| hits);
    Some((best, hits.unwrap_or_default()))
}

/// Names close to `wanted`: those it fuzzy-matches or within a few typos of it, closest
/// first, three at most.
pub fn close_names<'a>(names: &[&'a str], wanted: &str) -> Vec<&'a str> {
    let matcher = SkimMatcherV2::default().ignore_case();
    let allowed = (wanted.chars().count() / 3).max(2);
    let mut close: Vec<(usize, &str)> = names
        .iter()
        .map(|name| (distance(name, wanted), *name))
        .filter(|(d, name)| *d <= allowed || matcher.fuzzy_match(name, wanted).is_some())
        .collect();
    close.sort();
    close.into_iter().take(3).map(|(_, name)| name).collect()
}

/// Levenshtein distance, in chars.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(name: &str, tags: &[&str], body: &str) -> CannedResponse {
        CannedResponse {
            name: name.into(),
            language: "en".into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            platforms: Vec::new(),
            fields: Vec::new(),
            body: body.into(),
            path: format!("{name}.en.md"),
            body_line: 4,
        }
    }

    fn names(query: &str) -> Vec<String> {
        let all = [
            response(
                "thanks",
                &["praise"],
                "Thank you so much for the kind words",
            ),
            response(
                "refund-delay",
                &["refund", "late"],
                "Sorry for the wait on your order",
            ),
            response(
                "legal-hold",
                &["legal"],
                "We have passed your message to our team",
            ),
        ];
        let refs: Vec<&CannedResponse> = all.iter().collect();
        rank(&refs, query)
            .into_iter()
            .map(|r| all[r.index].name.clone())
            .collect()
    }

    #[test]
    fn names_weigh_most_then_tags_then_bodies() {
        assert_eq!(names(""), ["legal-hold", "refund-delay", "thanks"]);
        assert_eq!(names("ref")[0], "refund-delay");
        assert_eq!(names("praise"), ["thanks"]);
        assert_eq!(names("passed")[0], "legal-hold");
        assert!(names("zzqq").is_empty());
    }

    #[test]
    fn name_hits_are_given_for_a_name_match() {
        let r = response("refund-delay", &[], "");
        let ranked = rank(&[&r], "rd");
        assert_eq!(ranked[0].name_hits.len(), 2);
    }

    #[test]
    fn close_names_suggest_typos_and_fragments() {
        let names = ["refund-delay", "thanks", "legal-hold"];
        assert_eq!(close_names(&names, "refnud-delay"), ["refund-delay"]);
        assert_eq!(close_names(&names, "thanx"), ["thanks"]);
        assert_eq!(close_names(&names, "legal"), ["legal-hold"]);
        assert!(close_names(&names, "zzzzzz").is_empty());
    }
}
