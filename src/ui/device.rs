//! This browser profile's device id: the name of its saves in the records' lineage
//! (`core::lineage`). Made once at random (a v4 UUID, 32 hex digits) and kept in
//! localStorage (`ruhu-device`), which the surveyor's app, the start page and the office
//! share on one origin, as they share the records. The core never makes one up.
//!
//! An id must name one writer: storage cleared with the records clears it too, so a new
//! store gets a new id. Where localStorage cannot keep it (a private window), each page
//! load is a new device, which only makes the records' `lineage.saves` longer (at most 64
//! devices; then saves are still safe, see `core::lineage`).

use std::cell::OnceCell;

use gloo_storage::{LocalStorage, Storage};

use crate::core::lineage::DeviceId;

/// The localStorage key of the device id.
pub const STORAGE_KEY: &str = "ruhu-device";

thread_local! {
    static ID: OnceCell<DeviceId> = const { OnceCell::new() };
}

/// The device id (read once per page, made and stored the first time).
pub fn id() -> DeviceId {
    ID.with(|cell| cell.get_or_init(read_or_make).clone())
}

fn read_or_make() -> DeviceId {
    let storage = LocalStorage::raw();
    if let Ok(Some(kept)) = storage.get_item(STORAGE_KEY) {
        if let Ok(id) = DeviceId::new(&kept) {
            return id;
        }
    }
    let fresh = uuid::Uuid::new_v4().simple().to_string();
    let _ = storage.set_item(STORAGE_KEY, &fresh);
    DeviceId::new(&fresh).expect("32 hex digits are a device id")
}
