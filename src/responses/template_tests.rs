//! Tests of `template.rs`: parsing with located errors, escapes, filling, missing fields.

use super::*;
use crate::model::{Author, Kind, Platform};

fn response(fields: &str, body: &str) -> CannedResponse {
    let text = format!("+++\nname = \"r\"\nlanguage = \"en\"\n[fields]\n{fields}\n+++\n{body}\n");
    crate::responses::file::parse("r.en.md", &text).unwrap()
}

fn context() -> Context {
    Context {
        author_name: "Claire".into(),
        author_handle: "claire".into(),
        agent_name: "Sam".into(),
        brand: "Acme".into(),
        platform: "x".into(),
    }
}

fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn parses_text_variables_and_escapes() {
    let pieces = parse("Hi {author.name},\n{{not}} {order}}}").unwrap();
    assert_eq!(
        pieces,
        [
            Piece::Text("Hi "),
            Piece::Var {
                name: "author.name",
                line: 1
            },
            Piece::Text(",\n"),
            Piece::Text("{"),
            Piece::Text("not"),
            Piece::Text("}"),
            Piece::Text(" "),
            Piece::Var {
                name: "order",
                line: 2
            },
            Piece::Text("}"),
        ]
    );
}

#[test]
fn broken_bodies_say_what_and_on_which_line() {
    let error = |body: &str| parse(body).unwrap_err();
    let open = error("line one\nHi {author.name");
    assert_eq!(open.line, 2);
    assert!(open.message.contains("never closed"), "{open}");
    assert!(error("a } b").message.contains("a lone `}`"));
    assert!(error("{}").message.contains("`{}` is not a variable"));
    assert!(error("{order number}").message.contains("`{order number}`"));
    assert!(error("{a\n}").message.contains("never closed"));
}

#[test]
fn fills_built_ins_and_fields() {
    let r = response(
        "order = \"Order number\"",
        "Hi {author.name} (@{author.handle}), order {order} on {item.platform}.\n{agent.name} for {brand} {{:}}",
    );
    let text = fill(&r, &context(), &vars(&[("order", "42")])).unwrap();
    assert_eq!(
        text,
        "Hi Claire (@claire), order 42 on x.\nSam for Acme {:}"
    );
}

#[test]
fn missing_fields_are_named_in_the_order_they_are_used() {
    let r = response(
        "zip = \"Postcode\"\norder = \"Order number\"",
        "Order {order}, sent to {zip}.",
    );
    let FillError::Missing { fields } = fill(&r, &context(), &vars(&[])).unwrap_err() else {
        panic!()
    };
    let keys: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["order", "zip"]);
    let blank = fill(&r, &context(), &vars(&[("order", "42"), ("zip", " ")])).unwrap_err();
    assert_eq!(blank.to_string(), "fill in --var zip=... (Postcode)");
    let preview = preview(&r, &context(), &vars(&[("order", "42")])).unwrap();
    assert_eq!(preview, "Order 42, sent to {zip}.");
}

#[test]
fn an_unknown_variable_is_refused_with_its_file_line() {
    let r = response("", "Hello\nOrder {ordr}.");
    let error = fill(&r, &context(), &vars(&[("ordr", "1")])).unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown variable {ordr} at r.en.md:8: it is neither built in nor declared in [fields]"
    );
    assert_eq!(
        preview(&r, &context(), &vars(&[])).unwrap(),
        "Hello\nOrder {ordr}."
    );
}

#[test]
fn values_from_platforms_lose_controls_and_line_breaks() {
    let mut item = crate::model::Item::from_new(
        crate::model::ItemId::generate(),
        crate::model::NewItem {
            platform: Platform::Mastodon,
            account: "a".into(),
            kind: Kind::Mention,
            remote_id: "1".into(),
            thread_id: None,
            parent_id: None,
            author: Author {
                id: "1".into(),
                handle: "@eve@evil.example".into(),
                name: "Eve\u{1b}[2J\u{202e}\nAdmin".into(),
            },
            text: "hi".into(),
            lang: None,
            created_at: chrono::Utc::now(),
            url: None,
            from_brand: false,
            raw: None,
            status: None,
            priority: None,
            tags: Default::default(),
            assignee: None,
        },
        chrono::Utc::now(),
    );
    let context = Context::for_item(&item, "Sam\u{7}", "Acme");
    assert_eq!(context.author_name, "Eve[2J Admin");
    assert_eq!(context.author_handle, "eve@evil.example");
    assert_eq!(context.agent_name, "Sam");
    assert_eq!(context.platform, "mastodon");
    item.author.name = String::new();
    let context = Context::for_item(&item, "Sam", "Acme");
    assert_eq!(context.author_name, "@eve@evil.example");
}
