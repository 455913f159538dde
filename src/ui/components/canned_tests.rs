//! Tests of the picker's state: the item's variants, ranking, fields asked in turn.

use super::*;
use crate::model::{Author, ItemId, Kind, NewItem, Platform};
use crate::responses::file::parse;
use crate::responses::sample::FILES;

fn sample() -> Library {
    Library {
        responses: FILES.iter().map(|(n, t)| parse(n, t).unwrap()).collect(),
        problems: vec![Problem::error("bad.md", 1, "front matter: oops")],
    }
}

fn item(platform: Platform, lang: Option<&str>) -> Item {
    let new = NewItem {
        platform,
        account: "acme".into(),
        kind: Kind::Mention,
        remote_id: "1".into(),
        thread_id: None,
        parent_id: None,
        author: Author {
            id: "u".into(),
            handle: "claire".into(),
            name: "Claire".into(),
        },
        text: "ma commande".into(),
        lang: lang.map(str::to_string),
        created_at: chrono::Utc::now(),
        url: None,
        from_brand: false,
        raw: None,
        status: None,
        priority: None,
        tags: Default::default(),
        assignee: None,
    };
    Item::from_new(ItemId::generate(), new, chrono::Utc::now())
}

fn loaded(platform: Platform, lang: Option<&str>) -> CannedPicker {
    let mut picker = CannedPicker::new(item(platform, lang), 7);
    assert!(
        !picker.accept(6, sample(), "Acme", "Sam"),
        "another call's answer"
    );
    assert!(picker.accept(7, sample(), "Acme", "Sam"));
    picker
}

fn names(picker: &CannedPicker) -> Vec<String> {
    let choices = &picker.loaded.as_ref().unwrap().choices;
    picker
        .ranked
        .iter()
        .map(|r| format!("{}.{}", choices[r.index].name, choices[r.index].language))
        .collect()
}

#[test]
fn offers_one_variant_per_response_in_the_items_language_on_its_platform() {
    let picker = loaded(Platform::X, Some("fr-CA"));
    assert_eq!(
        names(&picker),
        ["legal-hold.fr", "refund-delay.fr", "thanks.fr"]
    );
    assert_eq!(picker.loaded.as_ref().unwrap().unread, 1);
    let youtube = loaded(Platform::Youtube, None);
    assert_eq!(names(&youtube), ["legal-hold.en", "thanks.en"]);
}

#[test]
fn typing_ranks_and_the_preview_is_filled_for_the_item() {
    let mut picker = loaded(Platform::Mastodon, Some("en"));
    picker.input.insert("refund");
    picker.refilter();
    assert_eq!(names(&picker)[0], "refund-delay.en");
    let (response, text) = picker.preview().unwrap();
    assert_eq!(response.name, "refund-delay");
    let text = text.unwrap();
    assert!(
        text.starts_with("Hi Claire, sorry for the wait on order {order}."),
        "{text}"
    );
    assert!(text.ends_with("Sam for Acme"), "{text}");
}

#[test]
fn fields_are_asked_in_turn_then_the_text_is_ready() {
    let mut picker = loaded(Platform::X, Some("fr"));
    picker.input.insert("rembours");
    picker.refilter();
    assert_eq!(picker.choose(), Outcome::Stay);
    assert_eq!(picker.context(), Context::Compose);
    assert_eq!(
        picker.filling.as_ref().unwrap().field().prompt,
        "Numéro de commande"
    );
    assert_eq!(
        picker.answer_field(),
        Outcome::Stay,
        "a blank value is refused"
    );
    assert!(picker.filling.as_ref().unwrap().error.is_some());
    picker.filling.as_mut().unwrap().input.insert("A-1234");
    let Outcome::Insert(text) = picker.answer_field() else {
        panic!("no text")
    };
    assert!(text.starts_with("Bonjour Claire, désolés pour l'attente sur la commande A-1234."));
    assert!(picker.filling.is_none());
}

#[test]
fn a_response_without_fields_is_ready_at_once() {
    let mut picker = loaded(Platform::X, None);
    picker.input.insert("thanks");
    picker.refilter();
    let Outcome::Insert(text) = picker.choose() else {
        panic!("no text")
    };
    assert!(text.starts_with("Thank you so much Claire"), "{text}");
}
