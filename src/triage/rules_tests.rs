use super::*;
use crate::config::{Config, PriorityConfig};
use crate::triage::test_item::item;

/// The rules of a config (validated like any config), and its `[priority]` signals.
fn rules(toml: &str) -> (Vec<RuleConfig>, Signals) {
    let base = "[users.dana]\nteam = \"legal\"\n[users.sam]\n\
        [escalations.legal]\nowners = [\"dana\"]\n[escalations.brand]\nowners = [\"sam\"]\n";
    let config = Config::parse(std::path::Path::new("c.toml"), &format!("{base}{toml}"))
        .unwrap_or_else(|e| panic!("{e}"));
    let signals = Signals::new(&config.priority);
    (config.rules, signals)
}

fn run(toml: &str, item: &Item) -> Evaluation {
    let (rules, signals) = rules(toml);
    evaluate(&rules, item, &signals)
}

#[test]
fn words_fire_whole_word_ignoring_case_and_accents() {
    let toml = "[[rules]]\nname = \"legal\"\nmatch = { words = [\"avocat\", \"mise en demeure\"] }\ntag = [\"legal\"]\n";
    let fired = run(toml, &item("Mon AVOCAT vous écrira"));
    assert_eq!(fired.verdicts[0].why, ["words: \"avocat\""]);
    assert!(fired.outcome.tags.contains("legal"));
    let accents = run(toml, &item("Ceci est une MISE EN DÉMEURE."));
    assert!(accents.verdicts[0].fired);
    let part = run(toml, &item("les avocats du diable"));
    assert!(!part.verdicts[0].fired);
    assert_eq!(
        part.verdicts[0].why,
        ["words: none of \"avocat\", \"mise en demeure\""]
    );
    assert!(part.outcome.is_empty());
}

#[test]
fn words_in_other_scripts() {
    let toml = "[[rules]]\nname = \"fraud\"\nmatch = { words = [\"мошенники\", \"詐欺\", \"احتيال\"] }\ntag = [\"fraud\"]\n";
    for text in ["Вы МОШЕННИКИ!", "これは詐欺だ", "هذا احتيال"] {
        assert!(run(toml, &item(text)).verdicts[0].fired, "{text}");
    }
    assert!(!run(toml, &item("merci")).verdicts[0].fired);
}

#[test]
fn every_condition_kind_and_the_first_that_fails() {
    let toml = "[[rules]]\nname = \"all\"\ntag = [\"x\"]\n\
        [rules.match]\nplatform = [\"x\", \"mastodon\"]\naccount = \"acme-masto\"\nkind = [\"dm\", \"mention\"]\n\
        language = \"fr\"\nauthors = [\"mastodon:claire@example.social\"]\nwords = \"remboursement\"\nregex = 'commande\\s+n°?\\d+'\n";
    let it = item("Remboursement de la commande n°1234 svp");
    let all = run(toml, &it);
    assert!(all.verdicts[0].fired, "{:?}", all.verdicts);
    assert_eq!(
        all.verdicts[0].why,
        [
            "platform: mastodon",
            "account: acme-masto",
            "kind: mention",
            "language: fr",
            "authors: mastodon:claire@example.social",
            "words: \"remboursement\"",
            "regex /commande\\s+n°?\\d+/: \"commande n°1234\"",
        ]
    );
    let mut other = it.clone();
    other.kind = crate::model::Kind::Comment;
    assert_eq!(
        run(toml, &other).verdicts[0].why,
        ["kind: comment is not dm, mention"]
    );
    other = it.clone();
    other.lang = Some("en".into());
    assert_eq!(
        run(toml, &other).verdicts[0].why,
        ["language: en is not fr"]
    );
    other.lang = None;
    assert_eq!(
        run(toml, &other).verdicts[0].why,
        ["language: the item's is unknown (wanted fr)"]
    );
    other = it.clone();
    other.platform = crate::model::Platform::Bluesky;
    assert_eq!(
        run(toml, &other).verdicts[0].why,
        ["platform: bluesky is not x, mastodon"]
    );
    other = it.clone();
    other.account = "acme-x".into();
    assert_eq!(
        run(toml, &other).verdicts[0].why,
        ["account: acme-x is not acme-masto"]
    );
    other = it.clone();
    other.text = "Remboursement de la COMMANDE N°12".into();
    assert!(
        run(toml, &other).verdicts[0].fired,
        "regex is case-insensitive"
    );
    other.text = "Remboursement svp".into();
    assert_eq!(
        run(toml, &other).verdicts[0].why,
        ["regex /commande\\s+n°?\\d+/: no match"]
    );
}

#[test]
fn authors_vip_uses_the_priority_list() {
    let toml = "[priority]\nvip = [\"claire@example.social\"]\n\
        [[rules]]\nname = \"vip\"\nmatch = { authors = \"vip\" }\npriority = \"high\"\n";
    let fired = run(toml, &item("hello"));
    assert_eq!(
        fired.verdicts[0].why,
        ["authors: vip (@Claire@example.social)"]
    );
    let mut stranger = item("hello");
    stranger.author.handle = "mallory".into();
    let not = run(toml, &stranger);
    assert_eq!(not.verdicts[0].why, ["authors: @mallory is not vip"]);
}

#[test]
fn rules_apply_in_order_first_wins_and_tags_add_up() {
    let toml = "\
[[rules]]\nname = \"legal\"\nmatch = { words = \"avocat\" }\ntag = [\"legal\"]\nescalate = \"legal\"\npriority = \"urgent\"\nassign = \"team:legal\"\n\
[[rules]]\nname = \"never\"\nmatch = { kind = \"dm\" }\ntag = [\"dm\"]\npriority = \"low\"\n\
[[rules]]\nname = \"brand\"\nmatch = { words = \"avocat\" }\ntag = [\"brand\", \"legal\"]\nescalate = \"brand\"\npriority = \"low\"\nassign = \"sam\"\nhide = \"troll\"\ndraft = \"holding\"\n";
    let e = run(toml, &item("avocat"));
    let fired: Vec<bool> = e.verdicts.iter().map(|v| v.fired).collect();
    assert_eq!(fired, [true, false, true]);
    let o = &e.outcome;
    assert_eq!(o.tags.iter().collect::<Vec<_>>(), ["brand", "legal"]);
    assert_eq!(
        o.escalate.as_ref().unwrap(),
        &Sourced {
            rule: "legal".into(),
            value: "legal".into()
        }
    );
    assert_eq!(o.priority.as_ref().unwrap().value, Priority::Urgent);
    assert_eq!(o.assign.as_ref().unwrap().value, "team:legal");
    assert_eq!(
        o.hide.as_ref().unwrap(),
        &Sourced {
            rule: "brand".into(),
            value: "troll".into()
        }
    );
    assert_eq!(o.draft.as_ref().unwrap().rule, "brand");
}

#[test]
fn hostile_text_and_patterns_stay_contained() {
    let toml = "[[rules]]\nname = \"r\"\nmatch = { regex = '(a+)+$' }\ntag = [\"x\"]\n";
    let long = format!("{}!", "a".repeat(100_000));
    let started = std::time::Instant::now();
    let e = run(toml, &item(&long));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "linear-time regex"
    );
    assert!(!e.verdicts[0].fired);
    let e = run(toml, &item(&"a".repeat(500)));
    let why = &e.verdicts[0].why[0];
    assert!(why.ends_with("…\""), "quoted text is cut short: {why}");
    assert!(why.chars().count() < 80, "{why}");
}

#[test]
fn no_rules_no_outcome() {
    let e = evaluate(
        &[],
        &item("avocat"),
        &Signals::new(&PriorityConfig::default()),
    );
    assert!(e.verdicts.is_empty() && e.outcome.is_empty());
}
