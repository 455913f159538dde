//! `import` and `export`: JSON lines in the `list --json` shape in, JSON lines or CSV out.
//! Import is how a platform without a connector is brought in, and how a backup comes back:
//! it goes through the hub's ingest, so a line seen before updates and never duplicates.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use super::output::json_line;
use super::verbs::{call, for_each_item};
use super::{ExportFormat, Failure};
use crate::hub::protocol::{Request, Response};
use crate::hub::HubClient;
use crate::model::{Item, NewItem};
use crate::store::IngestOutcome;

/// Lines sent to the hub in one ingest request.
const BATCH: usize = 1000;

#[derive(Default)]
struct Tally {
    new: usize,
    updated: usize,
    unchanged: usize,
    skipped: usize,
}

pub async fn import(hub: &HubClient, file: &Path) -> Result<ExitCode, Failure> {
    let name = file.display().to_string();
    let reader: Box<dyn BufRead> = if name == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let f =
            std::fs::File::open(file).map_err(|e| Failure(format!("cannot read {name}: {e}")))?;
        Box::new(std::io::BufReader::new(f))
    };
    let mut tally = Tally::default();
    let mut batch = Vec::with_capacity(BATCH);
    for (index, line) in reader.split(b'\n').enumerate() {
        let line = line.map_err(|e| Failure(format!("cannot read {name}: {e}")))?;
        match parse_line(&line) {
            Ok(Some(item)) => batch.push(item),
            Ok(None) => {}
            Err(reason) => {
                tally.skipped += 1;
                eprintln!("{name}:{}: skipped: {reason}", index + 1);
            }
        }
        if batch.len() == BATCH {
            send(hub, std::mem::take(&mut batch), &mut tally).await?;
        }
    }
    send(hub, batch, &mut tally).await?;
    println!(
        "imported {name}: {} new, {} updated, {} unchanged, {} skipped",
        tally.new, tally.updated, tally.unchanged, tally.skipped
    );
    Ok(if tally.skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One import line: `None` for a blank line, or why it cannot be taken.
fn parse_line(bytes: &[u8]) -> Result<Option<NewItem>, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 (byte {})", e.valid_up_to()))?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let item: NewItem = serde_json::from_str(text).map_err(|e| describe_json_error(&e))?;
    for (field, value) in [("account", &item.account), ("remote_id", &item.remote_id)] {
        if value.trim().is_empty() {
            return Err(format!("field '{field}' is empty"));
        }
    }
    if item.platform.as_str().is_empty() {
        return Err("field 'platform' is empty".into());
    }
    Ok(Some(item))
}

/// serde_json's message without its "at line 1 column N" tail (the file line is given instead).
fn describe_json_error(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message,
    };
    match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("not valid JSON: {message} (column {})", e.column())
        }
        _ => message.replace('`', "'"),
    }
}

async fn send(hub: &HubClient, items: Vec<NewItem>, tally: &mut Tally) -> Result<(), Failure> {
    if items.is_empty() {
        return Ok(());
    }
    let Response::Ingested { outcomes } = call(
        hub,
        Request::Ingest {
            items,
            source: "import".into(),
        },
    )
    .await?
    else {
        return Err(Failure("unexpected answer from the hub to ingest".into()));
    };
    for outcome in outcomes {
        match outcome {
            IngestOutcome::Created(_) => tally.new += 1,
            IngestOutcome::Updated(_) => tally.updated += 1,
            IngestOutcome::Unchanged(_) => tally.unchanged += 1,
        }
    }
    Ok(())
}

pub async fn export(hub: &HubClient, format: ExportFormat) -> Result<ExitCode, Failure> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        ExportFormat::Jsonl => {
            for_each_item(hub, "", None, true, |item| {
                writeln!(out, "{}", json_line(&item)).map_err(Failure::from)
            })
            .await?;
        }
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut out);
            csv.write_record(CSV_COLUMNS)?;
            for_each_item(hub, "", None, false, |item| {
                csv.write_record(csv_record(&item)).map_err(Failure::from)
            })
            .await?;
            csv.flush()?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

const CSV_COLUMNS: [&str; 19] = [
    "id",
    "platform",
    "account",
    "kind",
    "remote_id",
    "thread_id",
    "parent_id",
    "author_id",
    "author_handle",
    "author_name",
    "text",
    "lang",
    "status",
    "priority",
    "tags",
    "assignee",
    "created_at",
    "received_at",
    "url",
];

fn csv_record(item: &Item) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        item.id.to_string(),
        item.platform.to_string(),
        item.account.clone(),
        item.kind.to_string(),
        item.remote_id.clone(),
        opt(&item.thread_id),
        opt(&item.parent_id),
        item.author.id.clone(),
        item.author.handle.clone(),
        item.author.name.clone(),
        item.text.clone(),
        opt(&item.lang),
        item.status.to_string(),
        item.priority.to_string(),
        item.tags.iter().cloned().collect::<Vec<_>>().join(";"),
        opt(&item.assignee),
        item.created_at.to_rfc3339(),
        item.received_at.to_rfc3339(),
        opt(&item.url),
    ]
    .into_iter()
    .map(defuse_formula)
    .collect()
}

/// Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, tab or CR as a formula: a
/// customer's text must not. Such cells get a leading apostrophe.
pub(super) fn defuse_formula(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_lines_report_what_is_wrong() {
        assert_eq!(parse_line(b"   ").unwrap(), None);
        let err = parse_line(b"{\"platform\":\"x\"").unwrap_err();
        assert!(err.starts_with("not valid JSON"), "{err}");
        let err = parse_line(
            br#"{"platform":"x","account":"a","kind":"dm","created_at":"2026-01-01T00:00:00Z"}"#,
        )
        .unwrap_err();
        assert_eq!(err, "missing field 'remote_id'");
        let err = parse_line(br#"{"platform":"x","account":"a","kind":"fax","remote_id":"1","created_at":"2026-01-01T00:00:00Z"}"#).unwrap_err();
        assert!(err.contains("unknown variant 'fax'"), "{err}");
        let err = parse_line(br#"{"platform":"x","account":" ","kind":"dm","remote_id":"1","created_at":"2026-01-01T00:00:00Z"}"#).unwrap_err();
        assert_eq!(err, "field 'account' is empty");
        assert!(parse_line(b"\xff\xfe").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn csv_cells_cannot_become_formulas() {
        assert_eq!(
            defuse_formula("=HYPERLINK(\"x\")".into()),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(defuse_formula("-1".into()), "'-1");
        assert_eq!(defuse_formula("fine".into()), "fine");
    }
}
