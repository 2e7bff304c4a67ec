//! Sealed files through the CLI, against the standard tool (issue 14, item 3): what `ruhu seal`
//! writes, Debian's `age -d -i` opens; what `age -r … [-a]` writes, every reading command of
//! ruhu opens with `--identity` (evaluate, validate, merge, reconcile, roster) and refuses
//! without it; a changed or cut file is refused by name, by both tools.
//!
//! `age` and `age-keygen` must be installed (`./x.sh setup` installs Debian's `age`): these
//! tests **fail** without them, they do not skip.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The id of `general-no-risk.json`.
const RECORD_ID: &str = "8ceaa8ff-068f-420f-827e-1d55129504eb";

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn ruhu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ruhu")).args(args).output().expect("the ruhu binary runs")
}

/// Runs the reference tool; panics with a clear message when it is missing.
fn tool(name: &str, args: &[&str]) -> Output {
    Command::new(name).args(args).stdin(Stdio::null()).output().unwrap_or_else(|e| {
        panic!("`{name}` is needed by this test and could not run ({e}): run ./x.sh setup (apt-get install age)")
    })
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ruhu-seal-test-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn p(d: &Path, name: &str) -> String {
    d.join(name).to_string_lossy().into_owned()
}

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// A key pair made by `ruhu keygen`: (identity file, recipient).
fn keygen(d: &Path, name: &str) -> (String, String) {
    let id = p(d, name);
    let o = ruhu(&["keygen", "--out", &id]);
    assert!(o.status.success(), "{}", stderr(&o));
    let recipient = String::from_utf8(o.stdout).unwrap().trim().to_string();
    assert!(recipient.starts_with("age1") && recipient.len() == 62, "{recipient}");
    (id, recipient)
}

/// `ruhu seal --to R FILE > OUT`.
fn seal(recipient: &str, file: &str, out: &str) {
    let o = ruhu(&["seal", "--to", recipient, file]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(out, &o.stdout).unwrap();
}

#[test]
fn age_opens_what_ruhu_seals() {
    let d = dir("ruhu-to-age");
    let (id, recipient) = keygen(&d, "乡镇私钥.txt");
    let plain = fixture("batch-2023q1.json");
    let sealed = p(&d, "额尔和乡-2023-02-24-6户.txt");
    seal(&recipient, &plain, &sealed);
    let text = std::fs::read_to_string(&sealed).unwrap();
    assert!(text.starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n"), "{text}");
    assert!(!text.contains("张伟") && !text.contains("150722"), "nothing of the records in clear");

    let o = tool("age", &["-d", "-i", &id, &sealed]);
    assert!(o.status.success(), "age -d: {}", stderr(&o));
    assert_eq!(o.stdout, std::fs::read(&plain).unwrap(), "age gives back the exact bytes");

    // age-keygen -y reads ruhu's identity file and derives the same recipient.
    let o = tool("age-keygen", &["-y", &id]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), recipient, "{}", stderr(&o));

    // A second keygen never overwrites the identity.
    let o = ruhu(&["keygen", "--out", &id]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("文件已存在，不覆盖"), "{}", stderr(&o));
    assert_eq!(tool("age-keygen", &["-y", &id]).stdout, format!("{recipient}\n").into_bytes());
}

#[test]
fn every_reading_command_opens_what_age_seals() {
    let d = dir("age-to-ruhu");
    let id = p(&d, "key.txt");
    let o = tool("age-keygen", &["-o", &id]);
    assert!(o.status.success(), "{}", stderr(&o));
    let recipient = String::from_utf8(tool("age-keygen", &["-y", &id]).stdout).unwrap();
    let recipient = recipient.trim();

    let record = fixture("general-no-risk.json");
    let batch = fixture("batch-2023q1.json");
    let armoured = p(&d, "record.txt");
    let binary = p(&d, "batch.age");
    assert!(tool("age", &["-r", recipient, "-a", "-o", &armoured, &record]).status.success());
    assert!(tool("age", &["-r", recipient, "-o", &binary, &batch]).status.success());

    // evaluate / validate: the same output as from the plain files.
    for cmd in ["evaluate", "validate"] {
        let plain = ruhu(&[cmd, "--today", "2023-02-24", &record, &batch]);
        let opened = ruhu(&[cmd, "--identity", &id, "--today", "2023-02-24", &armoured, &binary]);
        assert_eq!(opened.status.code(), plain.status.code(), "{cmd}: {}", stderr(&opened));
        let (a, b) =
            (String::from_utf8_lossy(&plain.stdout), String::from_utf8_lossy(&opened.stdout));
        let b = b.replace(&armoured, &record).replace(&binary, &batch);
        assert_eq!(b, a, "{cmd}: the same evaluations");

        let refused = ruhu(&[cmd, "--today", "2023-02-24", &armoured]);
        assert_eq!(refused.status.code(), Some(2), "{cmd}");
        assert!(
            stderr(&refused)
                .contains(&format!("{armoured}: 此文件已加密，需要乡镇私钥 --identity")),
            "{cmd}: {}",
            stderr(&refused)
        );
    }

    // merge: sealed inputs, a plain batch out.
    let out = p(&d, "merged.json");
    let o = ruhu(&[
        "merge",
        "--identity",
        &id,
        "--today",
        "2023-02-24",
        "--out",
        &out,
        &armoured,
        &binary,
    ]);
    assert!(o.status.success(), "merge: {}", stderr(&o));
    let merged = std::fs::read_to_string(&out).unwrap();
    assert!(merged.contains("ruhu.export/1") && merged.contains("张伟"));
    let o = ruhu(&["merge", "--today", "2023-02-24", "--out", &p(&d, "m2.json"), &binary]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("此文件已加密，需要乡镇私钥 --identity"), "{}", stderr(&o));

    // roster and reconcile: a sealed roster and sealed records.
    let roster = p(&d, "花名册.csv");
    std::fs::write(
        &roster,
        "户编号,行政村,姓名,证件号码,性别,与户主关系,户类型\n\
         H1,额尔和村,张伟,150722197503124518,男,户主,一般户\n",
    )
    .unwrap();
    let sealed_roster = p(&d, "花名册.csv.age");
    assert!(tool("age", &["-r", recipient, "-a", "-o", &sealed_roster, &roster]).status.success());
    let plain = ruhu(&["roster", &roster]);
    let opened = ruhu(&["roster", "--identity", &id, &sealed_roster]);
    assert!(opened.status.success(), "roster: {}", stderr(&opened));
    let strip =
        |o: &Output| String::from_utf8_lossy(&o.stdout).replace("花名册.csv.age", "花名册.csv");
    assert_eq!(strip(&opened), strip(&plain), "the same roster read");
    let refused = ruhu(&["roster", &sealed_roster]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("此文件已加密，需要乡镇私钥 --identity"),
        "{}",
        stderr(&refused)
    );

    let plain = ruhu(&["reconcile", "--roster", &roster, "--today", "2023-02-24", &record]);
    let opened = ruhu(&[
        "reconcile",
        "--identity",
        &id,
        "--roster",
        &sealed_roster,
        "--today",
        "2023-02-24",
        &armoured,
    ]);
    assert!(opened.status.success(), "reconcile: {}", stderr(&opened));
    let norm = |o: &Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let mut v = v;
        v.as_object_mut()
            .unwrap()
            .retain(|k, _| !k.ends_with("_at") && k != "roster_file" && k != "roster");
        v
    };
    assert_eq!(norm(&opened)["households"], norm(&plain)["households"], "the same reconciliation");
    let refused = ruhu(&["reconcile", "--roster", &roster, &armoured]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("此文件已加密，需要乡镇私钥 --identity"),
        "{}",
        stderr(&refused)
    );

    // ruhu open gives back age's plaintext.
    let o = ruhu(&["open", "--identity", &id, &binary]);
    assert_eq!(o.stdout, std::fs::read(&batch).unwrap());
}

#[test]
fn changed_or_cut_files_are_refused_by_name_by_both_tools() {
    let d = dir("tamper");
    let (id, recipient) = keygen(&d, "key.txt");
    let sealed = p(&d, "good.txt");
    seal(&recipient, &fixture("batch-2023q1.json"), &sealed);
    let text = std::fs::read_to_string(&sealed).unwrap();
    let lines: Vec<&str> = text.lines().collect();

    // One character changed in the middle of the payload.
    let mut changed: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let n = lines.len() / 2;
    let c = if changed[n].starts_with('A') { "B" } else { "A" };
    changed[n].replace_range(0..1, c);
    let tampered = p(&d, "改过的.txt");
    std::fs::write(&tampered, changed.join("\n") + "\n").unwrap();
    // Cut in half.
    let truncated = p(&d, "截断的.txt");
    std::fs::write(&truncated, &text[..text.len() / 2]).unwrap();
    // Sealed to another key.
    let (_, other) = keygen(&d, "other.txt");
    let foreign = p(&d, "别的乡镇.txt");
    seal(&other, &fixture("batch-2023q1.json"), &foreign);

    for (file, why) in [
        (&tampered, "已被改动或损坏"),
        (&truncated, "不完整"),
        (&foreign, "不是加密给本乡镇公钥的"),
    ] {
        for cmd in ["evaluate", "validate"] {
            let o = ruhu(&[cmd, "--identity", &id, file]);
            assert_eq!(o.status.code(), Some(2), "{cmd} {file}");
            assert!(
                stderr(&o).contains(&format!("ruhu: {file}: ")),
                "{cmd}: named: {}",
                stderr(&o)
            );
            assert!(stderr(&o).contains(why), "{cmd} {file}: {}", stderr(&o));
            assert!(o.stdout.is_empty() || cmd == "validate", "nothing of it evaluated");
        }
        let o = ruhu(&["open", "--identity", &id, file]);
        assert_eq!(o.status.code(), Some(2));
        assert!(o.stdout.is_empty(), "no part of it is given out");
        let o = tool("age", &["-d", "-i", &id, file]);
        assert!(!o.status.success(), "age refuses {file} too");
    }
    // The good file beside them still opens.
    assert!(ruhu(&["evaluate", "--identity", &id, &sealed]).status.success());
}

#[test]
fn identity_under_a_passphrase_and_bad_keys() {
    let d = dir("passphrase");
    let id = p(&d, "locked.txt");
    let o = Command::new(env!("CARGO_BIN_EXE_ruhu"))
        .args(["keygen", "--lock", "--out", &id])
        .env("RUHU_PASSPHRASE", "额尔和乡 2026 办公室")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let recipient = String::from_utf8(o.stdout).unwrap().trim().to_string();
    let locked = std::fs::read_to_string(&id).unwrap();
    assert!(
        locked.starts_with("-----BEGIN AGE ENCRYPTED FILE-----")
            && !locked.contains("AGE-SECRET-KEY")
    );
    let sealed = p(&d, "s.txt");
    seal(&recipient, &fixture("general-no-risk.json"), &sealed);
    let with = |pass: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ruhu"));
        c.args(["evaluate", "--identity", &id, &sealed]).env_remove("RUHU_PASSPHRASE");
        if let Some(p) = pass {
            c.env("RUHU_PASSPHRASE", p);
        }
        c.output().unwrap()
    };
    assert!(with(Some("额尔和乡 2026 办公室")).status.success());

    // The standard tool opens the locked identity too: `age -d -i locked.txt` asks for the
    // passphrase on its terminal (a pseudo-terminal from util-linux's `script` here).
    let mut child = Command::new("script")
        .args(["-qec", &format!("age -d -i '{id}' '{sealed}'"), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("util-linux's script runs");
    std::thread::sleep(std::time::Duration::from_millis(500));
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all("额尔和乡 2026 办公室\n".as_bytes()).unwrap();
    }
    let o = child.wait_with_output().unwrap();
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(shown.contains(RECORD_ID), "age -d with the passphrase: {shown}");
    let o = with(Some("wrong"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("口令不对"), "{}", stderr(&o));
    let o = with(None);
    assert!(stderr(&o).contains("RUHU_PASSPHRASE"), "{}", stderr(&o));

    // A public key given as --identity, a bad --to.
    let pubfile = p(&d, "pub.txt");
    std::fs::write(&pubfile, format!("{recipient}\n")).unwrap();
    let o = ruhu(&["evaluate", "--identity", &pubfile, &sealed]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("这是公钥"), "{}", stderr(&o));
    let o = ruhu(&["seal", "--to", "age1xyz", &sealed]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("一个无效的乡镇公钥"), "{}", stderr(&o));
    let o = ruhu(&["seal", "--to", &recipient, &sealed]);
    assert!(stderr(&o).contains("已经是加密文件"), "{}", stderr(&o));
}
