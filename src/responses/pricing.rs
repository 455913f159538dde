//! X API pay-per-use prices, in millionths of a US dollar: the one price list the cost shown
//! before an action (`cost.rs`) and the connector's daily spend (`connectors::x::meter`)
//! read.
//!
//! Source: <https://docs.x.com/x-api/getting-started/pricing> ("Credit consumption
//! details"), read 2026-11-23. Reads are charged per resource returned, writes per request;
//! a resource fetched again within the same UTC day is charged once (X calls this a soft
//! guarantee); only successful answers with data are charged. The mapping of switchboard's
//! actions onto X's categories is ours: a reply is "Content: Create" (with a URL, "Content:
//! Create (with URL)"), a DM "DM Interaction: Create", hiding a reply and deleting the
//! brand's post "Content: Manage", muting "User Interaction: Create".

/// Posts: Read, per post returned.
pub const POST_READ: u64 = 5_000;
/// User: Read, per user returned (the `author_id` and `sender_id` expansions).
pub const USER_READ: u64 = 10_000;
/// DM Event: Read, per event returned.
pub const DM_EVENT_READ: u64 = 10_000;
/// Content: Create, per post created.
pub const CONTENT_CREATE: u64 = 15_000;
/// Content: Create (with URL), per post created whose text holds a link.
pub const CONTENT_CREATE_WITH_URL: u64 = 200_000;
/// DM Interaction: Create, per message sent.
pub const DM_CREATE: u64 = 15_000;
/// User Interaction: Create (mute), per request.
pub const USER_INTERACTION_CREATE: u64 = 15_000;
/// Content: Manage (hide or unhide a reply, delete a post), per request.
pub const CONTENT_MANAGE: u64 = 5_000;
