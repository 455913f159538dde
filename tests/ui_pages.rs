//! Pages in the TUI: a page for the user shows as a status message (someone else's does
//! not), and `ack` (`A`; `C-c A` in the emacs keymap) acknowledges the page about the item
//! under the cursor.

mod ui_support;

use chrono::Duration;
use switchboard::hub::protocol::{Event, Request};
use switchboard::hub::{SlaEvent, SlaEventKind};
use switchboard::model::ItemId;
use switchboard::ui::app::App;
use switchboard::ui::msg::Msg;
use switchboard::ui::Keymap;
use ui_support::*;

fn paged(app: &App, user: &str) -> Msg {
    let item = app.queue.current().unwrap();
    Msg::Hub(Event::Sla {
        event: SlaEvent {
            kind: SlaEventKind::Paged,
            item: item.id,
            account: item.account.clone(),
            due: now(),
            at: now(),
            users: vec![user.into()],
            page: Some(ItemId::generate()),
        },
    })
}

fn acked(hub: &FakeHub) -> Option<ItemId> {
    hub.requests.iter().rev().find_map(|r| match r {
        Request::Ack { id } => Some(*id),
        _ => None,
    })
}

#[test]
fn a_page_for_me_shows_and_ack_acknowledges_the_item_under_the_cursor() {
    let mut hub = FakeHub::new(sample_items(20));
    let mut app = started(100, 24, &mut hub);
    let someone_else = paged(&app, "bob");
    send(&mut app, &mut hub, someone_else);
    assert!(!screen(&app).contains("PAGED"), "{}", screen(&app));
    let mine = paged(&app, "alice");
    send(&mut app, &mut hub, mine);
    assert!(screen(&app).contains("PAGED: item"), "{}", screen(&app));
    send(&mut app, &mut hub, Msg::Tick(now() + Duration::seconds(30)));
    assert!(
        screen(&app).contains("PAGED: item"),
        "a page stays: {}",
        screen(&app)
    );
    let under_cursor = app.queue.current().unwrap().id;
    keys(&mut app, &mut hub, "A");
    assert_eq!(acked(&hub), Some(under_cursor));
    assert!(screen(&app).contains("acknowledged"), "{}", screen(&app));
}

#[test]
fn the_emacs_keymap_acknowledges_with_c_c_a() {
    let mut hub = FakeHub::new(sample_items(5));
    let mut app = app_with_keymap(Keymap::builtin("emacs").unwrap(), 100, 24, &[]);
    let effects = app.start();
    run(&mut app, &mut hub, effects);
    keys(&mut app, &mut hub, "C-c A");
    assert_eq!(acked(&hub), Some(app.queue.current().unwrap().id));
}
