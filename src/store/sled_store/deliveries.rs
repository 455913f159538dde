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
        let key = keys::delivery(delivery.id);
        let mut state = self.lock_writer();
        let mut pending = self.begin(&state);
        let is_new = !self.db.contains_key(&key).map_err(engine)?;
        if is_new {
            for old in self.settled_beyond_limit()? {
                pending.remove(old);
            }
        }
        pending.put(key, &codec::encode(delivery)?);
        self.commit(&mut state, pending)
    }

    /// The keys of the oldest settled deliveries that must go for one more to fit.
    fn settled_beyond_limit(&self) -> Result<Vec<Vec<u8>>> {
        let prefix = [keys::DELIVERY];
        let kept = self.db.scan_prefix(prefix).keys().count();
        let excess = (kept + 1).saturating_sub(MAX_DELIVERIES);
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
