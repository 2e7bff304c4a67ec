use super::*;

fn pair() -> (Identity, Recipient) {
    let id = Identity::generate();
    let r = id.recipient();
    (id, r)
}

const PLAIN: &[u8] =
    "{\"format\":\"ruhu.export/1\",\"records\":[{\"head\":\"敖福山\"}]}\n".as_bytes();

#[test]
fn seals_to_armoured_text_and_opens() {
    let (id, to) = pair();
    let sealed = seal(PLAIN, &to);
    let text = std::str::from_utf8(&sealed).expect("armour is text");
    assert!(text.starts_with(ARMOR_BEGIN), "{text}");
    assert!(text.trim_end().ends_with(ARMOR_END));
    assert!(text.is_ascii() && !text.contains("敖福山"));
    assert!(text.lines().all(|l| l.len() <= 64), "armour lines of at most 64");
    assert!(is_sealed(&sealed));
    assert_eq!(open(&sealed, &id, "a.txt").unwrap(), PLAIN);
    // Two seals of the same content differ (a fresh file key each time).
    assert_ne!(seal(PLAIN, &to), sealed);
}

#[test]
fn sealed_to_several_each_opens_it() {
    let (phone, to_phone) = pair();
    let (township, to_township) = pair();
    let (other, _) = pair();
    let sealed = seal_to_all(PLAIN, &[to_phone, to_township]).expect("two recipients");
    assert_eq!(open(&sealed, &phone, "a.txt").unwrap(), PLAIN);
    assert_eq!(open(&sealed, &township, "a.txt").unwrap(), PLAIN);
    assert!(open(&sealed, &other, "a.txt").is_err(), "a third key does not open it");
    assert!(seal_to_all(PLAIN, &[]).is_none());
}

#[test]
fn opens_binary_crlf_and_bom() {
    let (id, to) = pair();
    let enc =
        age::Encryptor::with_recipients(std::iter::once(&to.0 as &dyn age::Recipient)).unwrap();
    let mut binary = Vec::new();
    let mut w = enc.wrap_output(&mut binary).unwrap();
    w.write_all(PLAIN).unwrap();
    w.finish().unwrap();
    assert!(binary.starts_with(b"age-encryption.org/v1\n") && is_sealed(&binary));
    assert_eq!(open(&binary, &id, "b.age").unwrap(), PLAIN);

    let armoured = String::from_utf8(seal(PLAIN, &to)).unwrap();
    let crlf = format!("\u{feff}\r\n{}", armoured.replace('\n', "\r\n"));
    assert!(is_sealed(crlf.as_bytes()));
    assert_eq!(open(crlf.as_bytes(), &id, "c.txt").unwrap(), PLAIN);
}

#[test]
fn another_key_is_refused_by_name() {
    let (_, to) = pair();
    let (other, _) = pair();
    let e = open(&seal(PLAIN, &to), &other, "额尔和村-2023-02-20-12户.txt").unwrap_err();
    assert_eq!(e.code(), "sealed-wrong-identity");
    assert!(e.to_string().starts_with("额尔和村-2023-02-20-12户.txt: "), "{e}");
}

/// Every changed character of the armour's body is refused, none read in part.
#[test]
fn a_tampered_file_is_refused_by_name() {
    let (id, to) = pair();
    // Two chunks of age's STREAM (64 KiB each): the header, both chunks and the last tag.
    let big: Vec<u8> = (0..20_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let text = String::from_utf8(seal(&big, &to)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut damaged = 0;
    let picked = (1..6).chain((6..lines.len() - 1).step_by(29)).chain([lines.len() - 2]);
    for n in picked {
        for col in [0, 17, 40] {
            let line = lines[n].as_bytes();
            if col >= line.len() || line[col] == b'=' {
                continue;
            }
            let mut changed: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            let c = line[col];
            let swap = if c == b'A' { 'B' } else { 'A' };
            changed[n].replace_range(col..col + 1, &swap.to_string());
            let e = open(changed.join("\n").as_bytes(), &id, "x.txt").unwrap_err();
            assert!(e.to_string().starts_with("x.txt: "), "{e}");
            // The header's key stanza changed reads as another key; anything else fails the
            // header's MAC or a chunk's tag.
            let header = e.code() == "sealed-wrong-identity";
            assert!(e.code() == "sealed-damaged" || (n < 6 && header), "line {n} col {col}: {e}");
            damaged += (e.code() == "sealed-damaged") as usize;
        }
    }
    assert!(
        damaged > 100 / 2,
        "changes in the payload are found by the payload's tags ({damaged})"
    );
    // A line added after the end.
    let extra = format!("{text}extra\n");
    assert_eq!(open(extra.as_bytes(), &id, "x.txt").unwrap_err().code(), "sealed-damaged");
}

#[test]
fn a_truncated_file_is_refused_by_name() {
    let (id, to) = pair();
    let big: Vec<u8> = (0..20_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let text = String::from_utf8(seal(&big, &to)).unwrap();
    // Cut anywhere: at a third, at a line end, without the END line.
    for cut in [text.len() / 3, text.len() / 2, text.len() - ARMOR_END.len() - 2] {
        let e = open(&text.as_bytes()[..cut], &id, "村.txt").unwrap_err();
        assert_eq!(e.code(), "sealed-truncated", "cut at {cut}: {e}");
        assert!(e.to_string().contains("村.txt") && e.to_string().contains("不完整"), "{e}");
    }
    // Whole lines dropped before the END line (the armour itself looks well-formed).
    let lines: Vec<&str> = text.lines().collect();
    let short = [&lines[..lines.len() / 2], &lines[lines.len() - 1..]].concat().join("\n");
    let e = open(short.as_bytes(), &id, "村.txt").unwrap_err();
    assert!(matches!(e.code(), "sealed-truncated" | "sealed-damaged"), "{e}");
    // A binary file cut short.
    let enc =
        age::Encryptor::with_recipients(std::iter::once(&to.0 as &dyn age::Recipient)).unwrap();
    let mut binary = Vec::new();
    let mut w = enc.wrap_output(&mut binary).unwrap();
    w.write_all(&big).unwrap();
    w.finish().unwrap();
    // Binary age has no end line: a cut inside a chunk fails that chunk's tag (damaged or
    // incomplete, the message says both), a cut at a chunk's end lacks the last chunk.
    for cut in [binary.len() - 1, binary.len() - 16, binary.len() / 2, 100, 30] {
        let e = open(&binary[..cut], &id, "b.age").unwrap_err();
        assert!(matches!(e.code(), "sealed-truncated" | "sealed-damaged"), "{cut}: {e}");
        assert!(e.to_string().starts_with("b.age: ") && e.to_string().contains("不完整"), "{e}");
    }
}

#[test]
fn open_if_sealed_passes_plain_files() {
    let (id, to) = pair();
    assert_eq!(&*open_if_sealed(PLAIN, None, "p.json").unwrap(), PLAIN);
    let sealed = seal(PLAIN, &to);
    let e = open_if_sealed(&sealed, None, "s.txt").unwrap_err();
    assert_eq!(e.to_string(), "s.txt: 此文件已加密，需要乡镇私钥才能打开");
    assert_eq!(&*open_if_sealed(&sealed, Some(&id), "s.txt").unwrap(), PLAIN);
    assert_eq!(open(PLAIN, &id, "p.json").unwrap_err().code(), "not-sealed");
}

#[test]
fn recipients_with_reasons() {
    let (id, to) = pair();
    let text = to.to_text();
    assert!(text.starts_with("age1") && text.len() == 62, "{text}");
    assert_eq!(parse_recipient(&format!("  {text}\n")).unwrap(), to);
    let why = |s: &str| parse_recipient(s).unwrap_err().to_string();
    assert!(why("").starts_with("一个无效的乡镇公钥: 为空"));
    assert!(why(&id.secret_text()).contains("这是私钥"), "{}", why(&id.secret_text()));
    assert!(why("ssh-ed25519 AAAA").contains("应以 age1 开头"));
    assert!(why(&text[..40]).contains("长度应为 62"), "{}", why(&text[..40]));
    let mut typo = text.clone().into_bytes();
    typo[20] = if typo[20] == b'q' { b'p' } else { b'q' };
    let typo = String::from_utf8(typo).unwrap();
    assert!(why(&typo).contains("校验不通过"), "{}", why(&typo));
    assert!(why(&format!("{} {}", &text[..30], &text[30..])).contains("空格"));
    for e in [parse_recipient("").unwrap_err(), parse_recipient(&typo).unwrap_err()] {
        assert_eq!(e.code(), "bad-recipient");
    }
}

#[test]
fn identity_files() {
    let id = Identity::generate();
    let file = identity_file(&id, "2026-12-04T09:00:00+08:00");
    let lines: Vec<&str> = file.lines().collect();
    assert_eq!(lines[0], "# created: 2026-12-04T09:00:00+08:00");
    assert_eq!(lines[1], format!("# public key: {}", id.recipient()));
    assert!(lines[2].starts_with("AGE-SECRET-KEY-1") && lines.len() == 3);
    let back = parse_identity(&file).unwrap();
    assert_eq!(back.recipient(), id.recipient());
    assert_eq!(parse_identity(lines[2]).unwrap().recipient(), id.recipient());
    assert!(!format!("{id:?}").contains("SECRET"), "Debug hides the key");
    let why = |s: &str| parse_identity(s).unwrap_err().to_string();
    assert!(why("# nothing\n").contains("没有私钥"));
    assert!(why(&id.recipient().to_text()).contains("这是公钥"));
    assert!(why(&format!("{}\n{}", lines[2], lines[2])).contains("应只有一个私钥"));
    assert!(why(&lines[2][..50]).contains("校验不通过"));
    assert!(why("hello").starts_with("一个无效的乡镇私钥: 应以 AGE-SECRET-KEY-1 开头"));
}

#[test]
fn identity_under_a_passphrase() {
    let id = Identity::generate();
    // A small work factor keeps the test fast; the default is measured by the bench.
    let locked = lock_identity_with(&id, "乡镇办 口令 2026", "2026-12-04", 10);
    let text = std::str::from_utf8(&locked).unwrap();
    assert!(text.starts_with(ARMOR_BEGIN) && !text.contains("AGE-SECRET-KEY"));
    let back = unlock_identity(&locked, "乡镇办 口令 2026").unwrap();
    assert_eq!(back.recipient(), id.recipient());
    assert_eq!(
        read_identity_file(&locked, Some("乡镇办 口令 2026")).unwrap().recipient(),
        id.recipient()
    );
    assert_eq!(unlock_identity(&locked, "wrong").unwrap_err(), SealError::WrongPassphrase);
    assert_eq!(read_identity_file(&locked, None).unwrap_err().code(), "bad-identity");
    // A passphrase file is not for the X25519 key, and the other way round.
    assert_eq!(open(&locked, &id, "k.txt").unwrap_err().code(), "sealed-unsupported");
    let sealed = seal(PLAIN, &id.recipient());
    assert_eq!(unlock_identity(&sealed, "x").unwrap_err().code(), "bad-identity");
    // A work factor beyond the cap is refused, not computed (the header says 2^21: the
    // check comes before any scrypt work or the header's MAC).
    let mut r = age::scrypt::Recipient::new(SecretString::from("p".to_string()));
    r.set_work_factor(10);
    let enc = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).unwrap();
    let mut binary = Vec::new();
    let mut w = enc.wrap_output(&mut binary).unwrap();
    w.write_all(b"x").unwrap();
    w.finish().unwrap();
    let at = binary.windows(4).position(|w| w == b" 10\n").expect("the stanza's work factor");
    binary[at + 1..at + 3].copy_from_slice(b"21");
    let e = unlock_identity(&binary, "p").unwrap_err();
    assert_eq!(e.code(), "sealed-unsupported", "{e}");
    assert!(e.to_string().contains("2^21"), "{e}");
}
