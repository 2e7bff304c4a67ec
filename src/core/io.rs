//! Reading and writing record files: one `ruhu.household/1` record or a `ruhu.export/1`
//! batch (`household-format.md`). Plain Rust on text and bytes, no file system: the CLI and
//! the web app both use it. This module is the façade; every item is used as `io::…`.
//!
//! # Reading
//!
//! - [`read_records`]`(text)` / [`read_export`]`(text)` / [`read_bytes`]`(bytes)`: a batch or
//!   a single record, decided by its `format` (a single record comes back as a batch of one
//!   without `exported_at` and `policy`). Minor versions (`/1.1`, `/1.2.0`) are read as
//!   version 1, other major versions refused. Each record's `computed` block is dropped (the
//!   app recomputes it); unknown keys are kept (the record types hold them in `extra`).
//!   `read_bytes` first refuses what is larger than [`MAX_INPUT_BYTES`] or not UTF-8 text,
//!   with a hint for an Excel workbook, a GBK or a UTF-16 file, and a sealed file ([`is_sealed`]:
//!   age, armoured or binary) with [`SEALED_MESSAGE`] (此文件已加密…): the caller opens it first
//!   with [`crate::seal::open_if_sealed`] (feature `seal`).
//! - Every refusal is a [`ReadError`] `{ path, message }`: the JSON path of the cause (may be
//!   empty) and a Chinese message, shown as `path: message`
//!   (`records[1].members[1].relation: 未知的代码 "boss"`).
//! - [`parse_household`]`(bytes)`: one record as the store keeps it; [`parse`]: the one way
//!   the core reads typed JSON.
//! - [`read_policy`]`(text)`: a policy file (`rules.md`, *Policy*; `year` and
//!   `monitoring_line` required), with [`Policy::from_json`](crate::policy::Policy::from_json)'s
//!   checks: a line above 0 and a near-line factor of at least 1.
//! - [`batch_records_as_written`]: where each record of a batch's text is, without its
//!   `computed` member, for the import's byte comparison with the stored records.
//! - **Attachments** ([`crate::evidence`]): `read_export` (and so `read_bytes`,
//!   `read_records`, the app's import and the CLI) checks every attachment
//!   ([`verify_attachments`]) and refuses the whole file when one's `data` is not base64,
//!   does not match its `sha256` or is too large, naming the household and the attachment
//!   (`records[0].attachments[1].sha256: 张伟户的照片“残疾人证”内容与其 sha256 不符，文件可能已损坏或被改动。整个文件未读入。`).
//!   [`read_bytes_unverified`] / [`read_export_unverified`] skip that check, for `ruhu
//!   validate`, which lists every problem instead.
//!
//! # Writing
//!
//! - [`write_record`]`(h)`: pretty JSON with a final newline, money as 2-decimal strings, the
//!   tag set; what the app saves and exports for one household.
//! - [`with_computed`]`(h, &eval)`: the record with its `computed` block
//!   `{ total_income, per_capita_net, evaluation }`.
//! - [`write_batch`]`(records, policy, exported_at, today)`: a compact `ruhu.export/1` file
//!   with every record's `computed` block, each evaluated under the one `policy` given with
//!   the same cross-record context as the CLI: the people of the other households
//!   (`id-number-elsewhere`) and the record's previous visit (`income-drop`,
//!   [`crate::visits`]).
//! - [`write_batch_with_attachments`]`(records, policy, exported_at, today, bytes)`: the
//!   same file with every empty attachment `data` filled (base64) from the bytes the page
//!   passes (`&dyn Fn(Uuid) -> Option<Vec<u8>>`, from its Blobs); what it has no bytes for
//!   is written without and listed ([`MissingBytes`]). [`split_for_share`] writes the same
//!   as several `ruhu.export/1` files of at most N bytes each, whole households per file,
//!   named `…-第1份共3份.json`, every `computed` block under the whole batch's context; a
//!   household larger than N goes alone, marked `over_limit`.
//! - [`export_file_name`]`(records, date)`: `额尔和乡-额尔和村-2023-02-20-1户.json` for one
//!   record, `额尔和乡-额尔和村-2023-02-20-12户.json` for several of one village,
//!   `额尔和乡-2023-02-20-35户.json` across villages, `入户记录-2023-02-20-12户.json` across
//!   townships; only characters safe in file names.
//! - [`previous_visit`] / [`previous_visits`] are [`crate::visits::previous`] /
//!   [`crate::visits::previous_of_each`] under their old names.
//!
//! # The parts, and what depends on what
//!
//! - [`detect`]: what a file is before it is read — format tags, size, bytes that are not
//!   UTF-8 text, the cheap first pass that checks every tag of a batch.
//! - [`read`]: the typed reading, [`ExportFile`].
//! - [`messages`]: [`ReadError`], [`parse`] and the Chinese rewrites of `serde_json`'s
//!   errors. It depends only on [`crate::json`]; [`crate::policy`] uses it to read policy
//!   files, so the policy does not depend on this façade while [`read`] depends on the
//!   policy (`policy → io::messages → json`; `io::read → policy, io::detect, io::messages`).
//! - [`write`](mod@write): the writers (they run the engine: `io::write → rules, visits, followup`).
//! - [`scan`]: the byte scanner over a batch's text.
//!
//! # Keeping things in step
//!
//! - `tests/snapshots/household.schema.json` is the committed JSON Schema of the record;
//!   `tests/cli.rs` fails when the types generate a different one. Regenerate with
//!   `cargo run --bin ruhu -- schema > tests/snapshots/household.schema.json` (or
//!   `UPDATE_SNAPSHOTS=1 cargo test --test cli`) and review the diff.
//! - The single-record fixtures of `tests/fixtures` are byte for byte what [`write_record`]
//!   writes; `UPDATE_SNAPSHOTS=1 cargo test --test roundtrip the_example_files` rewrites them
//!   (and the batch's `computed` blocks) after an intended change.

pub mod detect;
pub mod messages;
pub mod read;
pub mod scan;
pub mod write;

pub use detect::{is_sealed, EXPORT_FORMAT, MAX_INPUT_BYTES, SEALED_MESSAGE};
pub use messages::{parse, ReadError};
pub use read::{
    parse_household, read_bytes, read_bytes_unverified, read_export, read_export_unverified,
    read_policy, read_records, verify_attachments, ExportFile,
};
pub use scan::batch_records_as_written;
pub use write::{
    export_file_name, split_for_share, with_computed, write_batch, write_batch_with_attachments,
    write_record, FilledBatch, MissingBytes, SharePart, SplitExport,
};

/// The household's previous visit among `records` (for `income-drop`):
/// [`crate::visits::previous`], kept here for callers of `io`.
pub use crate::visits::previous as previous_visit;
/// [`previous_visit`] for every record at once: [`crate::visits::previous_of_each`].
pub use crate::visits::previous_of_each as previous_visits;

/// Records for the tests of the parts.
#[cfg(test)]
mod test_support {
    use crate::record::Household;
    use crate::testkit;

    /// Record `n` of household `n + 1000` in `village`, with its head (member `n + 2000`).
    pub(in crate::io) fn household(n: u128, village: &str, head: &str) -> Household {
        testkit::household()
            .id(n)
            .household_id(n + 1000)
            .village(village)
            .head(n + 2000, head)
            .build()
    }

    pub(in crate::io) fn record_json(extra: &str) -> String {
        format!(
            r#"{{"format":"ruhu.household/1","id":"00000000-0000-0000-0000-000000000001",
            "household_id":"00000000-0000-0000-0000-000000000002","revision":1,"status":"draft",
            "created_at":"2023-02-20T09:12:00+08:00","updated_at":"2023-02-20T09:12:00+08:00"{extra}}}"#
        )
    }
}
