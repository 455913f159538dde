//! Notice deliveries (`N` records): saved in every state, and bounded, so a hub that pages
//! for years keeps a recent history without growing without end. Pending deliveries are never
//! dropped: the oldest settled ones make room.

use super::codec::{self, decode, engine};
use super::SledStore;
use crate::model::Delivery;
use crate::store::{keys, Result, MAX_DELIVERIES};

impl SledStore {
    /// Saves a delivery; a new one beyond [`MAX_DELIVERIES`] removes the oldest settled ones
    /// in the same batch.
    pub(super) fn save_delivery(&self, delivery: &Delivery) -> Result<()> {
        self.save_delivery_within(delivery, MAX_DELIVERIES)
    }

    fn save_delivery_within(&self, delivery: &Delivery, limit: usize) -> Result<()> {
        let key = keys::delivery(delivery.id);
        let mut state = self.lock_writer();
        let mut pending = self.begin(&state);
        let is_new = !self.db.contains_key(&key).map_err(engine)?;
        if is_new {
            for old in self.settled_beyond(limit)? {
                pending.remove(old);
            }
        }
        pending.put(key, &codec::encode(delivery)?);
        self.commit(&mut state, pending)
    }

    /// The keys of the oldest settled deliveries that must go for one more to fit `limit`.
    fn settled_beyond(&self, limit: usize) -> Result<Vec<Vec<u8>>> {
        let prefix = [keys::DELIVERY];
        let kept = self.db.scan_prefix(prefix).keys().count();
        let excess = (kept + 1).saturating_sub(limit);
        if excess == 0 {
            return Ok(Vec::new());
        }
        let mut out = Vec::with_capacity(excess);
        for entry in self.db.scan_prefix(prefix) {
            let (key, bytes) = entry.map_err(engine)?;
            let delivery: Delivery = decode(&key, &bytes)?;
            if delivery.state.is_settled() {
                out.push(key.to_vec());
                if out.len() == excess {
                    break;
                }
            }
        }
        Ok(out)
    }

    pub(super) fn all_deliveries(&self) -> Result<Vec<Delivery>> {
        self.reader().decode_all(&[keys::DELIVERY])
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::{DeliveryState, Notice, NoticeKind};
    use crate::store::Store;

    fn delivery(settled: bool) -> Delivery {
        let notice = Notice {
            kind: NoticeKind::Page,
            at: Utc::now(),
            title: "t".into(),
            body: String::new(),
            item: None,
            channels: vec!["c".into()],
            users: Vec::new(),
        };
        let mut d = Delivery::new("c", notice, Utc::now());
        if settled {
            d.state = DeliveryState::Delivered { at: Utc::now() };
        }
        d
    }

    #[test]
    fn the_oldest_settled_deliveries_make_room_and_pending_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(&dir.path().join("store")).unwrap();
        let old_pending = delivery(false);
        let (old_done, newer_done) = (delivery(true), delivery(true));
        for d in [&old_pending, &old_done, &newer_done] {
            store.save_delivery_within(d, 3).unwrap();
        }
        // Saving a known one again (a new state) drops nothing.
        store.save_delivery_within(&old_pending, 3).unwrap();
        assert_eq!(store.deliveries().unwrap().len(), 3);
        let newest = delivery(false);
        store.save_delivery_within(&newest, 3).unwrap();
        let kept: Vec<_> = store.deliveries().unwrap().iter().map(|d| d.id).collect();
        assert_eq!(kept, [old_pending.id, newer_done.id, newest.id]);
    }
}
