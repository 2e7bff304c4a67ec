use super::*;
use crate::record::Status;
use crate::testkit::{self, uuid};

fn photo(n: u128, caption: &str, bytes: &[u8]) -> Attachment {
    let mut a = new_photo(
        uuid(n),
        caption,
        "guarantees.dangerous_house",
        None,
        "image/jpeg",
        bytes,
        Some((1600, 1200)),
        Some("2023-02-20T10:00:00+08:00".into()),
    );
    a.data = base64_encode(bytes);
    a
}

fn signed(h: &Household, n: u128, role: SignRole, who: &str) -> Attachment {
    let svg =
        signature_svg(&[Stroke { points: vec![(1.0, 1.0), (20.0, 30.0), (40.0, 10.0)] }], 300, 150);
    new_signature(uuid(n), role, who, &svg, h, None)
}

#[test]
fn sha256_of_known_bytes() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(sha256_hex(b"").len(), 64);
}

#[test]
fn base64_round_trips_and_is_strict() {
    for n in 0..40u8 {
        let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
        assert_eq!(base64_decode(&base64_encode(&bytes)).unwrap(), bytes);
    }
    assert_eq!(base64_encode(b"ab"), "YWI=");
    assert!(base64_decode("YWI").is_none(), "padding required");
    assert!(base64_decode("YW I=").is_none(), "no spaces");
    assert!(base64_decode("YW_=").is_none(), "the standard alphabet only");
    assert!(base64_decode("YWJ=").is_none(), "no stray bits");
}

#[test]
fn the_digest_ignores_bookkeeping_and_signatures() {
    let h = testkit::complete().build();
    let d = content_digest(&h);
    assert_eq!(d.len(), 64);
    let mut same = h.clone();
    same.revision = 9;
    same.updated_at = Timestamp(testkit::at("2024-01-01T00:00:00+08:00"));
    same.status = Status::Final;
    same.computed = Some(serde_json::json!({ "x": 1 }));
    same.format = "ruhu.household/1.3".into();
    let base = same.clone();
    crate::lineage::save(&mut same, &base, &crate::lineage::DeviceId::new("a").unwrap());
    same.attachments.push(signed(&h, 50, SignRole::Surveyor, "王建国"));
    assert_eq!(content_digest(&same), d, "bookkeeping and signatures are not content");

    let mut answer = h.clone();
    answer.income.wage = testkit::money("18001");
    assert_ne!(content_digest(&answer), d);
    let mut unknown = h.clone();
    unknown.extra.insert("app_note".into(), "x".into());
    assert_ne!(content_digest(&unknown), d, "unknown keys are content");
}

#[test]
fn photos_count_but_not_their_data() {
    let mut h = testkit::complete().build();
    h.attachments.push(photo(10, "危房正面", b"jpeg bytes"));
    let d = content_digest(&h);
    let mut stored = h.clone();
    stored.attachments[0].data.clear();
    assert_eq!(content_digest(&stored), d, "the store's empty data and the file's base64");
    let mut recaptioned = h.clone();
    recaptioned.attachments[0].caption = "危房侧面".into();
    assert_ne!(content_digest(&recaptioned), d);
    let mut another = h.clone();
    another.attachments.push(photo(11, "残疾人证", b"more"));
    assert_ne!(content_digest(&another), d, "a photo added after signing is a change");
    let mut removed = h.clone();
    removed.attachments.clear();
    assert_ne!(content_digest(&removed), d);
}

#[test]
fn signatures_go_stale_after_a_change() {
    let mut h = testkit::complete().build();
    let a = signed(&h, 50, SignRole::Surveyor, "王建国");
    h.attachments.push(a);
    let b = signed(&h, 51, SignRole::Assessor, "李秀英");
    h.attachments.push(b);
    assert_eq!(
        signature_states(&h),
        vec![(uuid(50), SignatureState::Current), (uuid(51), SignatureState::Current)]
    );
    h.status = Status::Final;
    h.revision += 1;
    assert!(signature_states(&h).iter().all(|(_, s)| *s == SignatureState::Current));

    h.judgement.reason = "已核实".into();
    assert_eq!(
        signature_states(&h),
        vec![
            (uuid(50), SignatureState::ChangedAfterSigning),
            (uuid(51), SignatureState::ChangedAfterSigning)
        ]
    );
    assert_eq!(SignatureState::ChangedAfterSigning.label(), "签字后有修改");
    // Signed again after the change: that one is current, the old one is not.
    let c = signed(&h, 52, SignRole::Assessor, "张明");
    h.attachments.push(c);
    assert_eq!(signature_states(&h)[2], (uuid(52), SignatureState::Current));
    assert_eq!(signature_states(&h)[0].1, SignatureState::ChangedAfterSigning);

    // A signature without a digest cannot be shown current.
    h.attachments[2].signed_digest.clear();
    assert_eq!(signature_states(&h)[2].1, SignatureState::ChangedAfterSigning);
}

#[test]
fn a_new_signature_carries_its_svg() {
    let h = testkit::complete().build();
    let a = signed(&h, 50, SignRole::Assessor, " 李秀英 ");
    assert_eq!(a.kind, Some(AttachmentKind::Signature));
    assert_eq!(a.mime, SIGNATURE_MIME);
    assert_eq!(a.path, "signatures");
    assert_eq!(a.signer, "李秀英");
    assert_eq!(a.caption, "风险研判人 李秀英 签名");
    let svg = signature_text(&a).unwrap();
    assert!(svg.starts_with("<svg"));
    assert_eq!(a.sha256, sha256_hex(svg.as_bytes()));
    assert_eq!(a.bytes, Some(svg.len() as u64));
    assert!(check_attachments(&{
        let mut h = h.clone();
        h.attachments.push(a);
        h
    })
    .is_empty());
}

/// A signature-like scribble of `n` points over a 360 × 180 pad.
fn scribble(n: usize) -> Vec<Stroke> {
    let mut strokes = Vec::new();
    let per = 50;
    for s in 0..n.div_ceil(per) {
        let points = (0..per.min(n - s * per))
            .map(|i| {
                let t = (s * per + i) as f32;
                (10.0 + t * 1.13 + (t / 3.0).sin() * 7.3, 90.0 + (t / 5.0).cos() * 55.7)
            })
            .collect();
        strokes.push(Stroke { points });
    }
    strokes
}

#[test]
fn signature_svg_is_small_smooth_and_valid() {
    let strokes = scribble(300);
    let svg = signature_svg(&strokes, 360, 180);
    assert!(svg.len() < 6 * 1024, "300 points in {} bytes", svg.len());
    assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180""#));
    assert!(svg.ends_with("</svg>"));
    assert_eq!(svg.matches("<path ").count(), 1);
    assert_eq!(svg.matches('M').count(), strokes.len(), "a subpath per stroke");
    assert!(svg.contains('Q'), "smoothed with quadratic Béziers");
    assert!(svg.contains(r#"stroke-linecap="round""#) && svg.contains(r#"fill="none""#));
    // Well formed: parse the path data back; every number a whole pixel inside the pad.
    let d = svg.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
    let mut numbers = Vec::new();
    for token in d.split(|c: char| c.is_ascii_alphabetic() || c == ' ').filter(|t| !t.is_empty()) {
        numbers.push(token.parse::<i32>().unwrap_or_else(|_| panic!("a whole number: {token}")));
    }
    assert!(numbers.iter().all(|&n| (0..=360).contains(&n)));
    assert!(numbers.len() % 2 == 0);
    // Every command is one SVG knows, with its numbers.
    assert!(d.chars().filter(|c| c.is_ascii_alphabetic()).all(|c| "MLQl".contains(c)));
}

#[test]
fn signature_svg_edge_cases() {
    let empty = signature_svg(&[], 300, 150);
    assert_eq!(
        empty,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150" width="300" height="150"></svg>"#
    );
    let dot = signature_svg(&[Stroke { points: vec![(10.2, 20.7)] }], 300, 150);
    assert!(dot.contains(r#"d="M10 21l0 0""#), "{dot}");
    let line = signature_svg(&[Stroke { points: vec![(0.0, 0.0), (5.0, 5.0)] }], 300, 150);
    assert!(line.contains(r#"d="M0 0L5 5""#), "{line}");
    // Outside the pad: clamped; not finite: skipped; repeated: dropped.
    let odd = signature_svg(
        &[Stroke {
            points: vec![(-5.0, 400.0), (f32::NAN, 1.0), (-5.0, 400.0), (10.0, 10.0), (10.1, 10.2)],
        }],
        300,
        150,
    );
    assert!(odd.contains(r#"d="M0 150L10 10""#), "{odd}");
    // Three points: a line to the first midpoint, a curve through the middle, a line to the end.
    let curve =
        signature_svg(&[Stroke { points: vec![(0.0, 0.0), (10.0, 20.0), (20.0, 0.0)] }], 300, 150);
    assert!(curve.contains(r#"d="M0 0L5 10Q10 20 15 10L20 0""#), "{curve}");
}

#[test]
fn check_attachments_finds_each_problem() {
    let mut h = testkit::complete().build();
    assert!(check_attachments(&h).is_empty());
    h.attachments.push(photo(10, "危房正面", b"good bytes"));
    let sig = signed(&h, 11, SignRole::Surveyor, "王建国");
    h.attachments.push(sig);
    assert!(check_attachments(&h).is_empty(), "{:?}", check_attachments(&h));

    let mut tampered = photo(12, "残疾人证", b"the bytes");
    tampered.data = base64_encode(b"other bytes");
    let mut invalid = photo(13, "诊断书", b"x");
    invalid.data = "not base64!".into();
    let mut missing = photo(14, "", b"x");
    missing.data.clear();
    let mut no_hash = photo(15, "门牌", b"x");
    no_hash.sha256.clear();
    let mut wrong_len = photo(16, "收据", b"abc");
    wrong_len.bytes = Some(4);
    let mut pdf = photo(17, "证明", b"%PDF");
    pdf.mime = "application/pdf".into();
    let mut huge = photo(18, "大图", b"");
    huge.data = "A".repeat((MAX_PHOTO_BYTES as usize / 3 + 10) * 4);
    h.attachments.extend([tampered, invalid, missing, no_hash, wrong_len, pdf, huge]);

    let ds = check_attachments(&h);
    let got: Vec<(&str, Severity, &str)> =
        ds.iter().map(|d| (d.code.code(), d.severity, d.path.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("attachment-sha256-mismatch", Severity::Error, "attachments[2].sha256"),
            ("attachment-data-invalid", Severity::Error, "attachments[3].data"),
            ("attachment-data-missing", Severity::Warning, "attachments[4].data"),
            ("attachment-sha256-missing", Severity::Warning, "attachments[5].sha256"),
            ("attachment-bytes-mismatch", Severity::Warning, "attachments[6].bytes"),
            ("attachment-mime-unexpected", Severity::Warning, "attachments[7].mime"),
            ("attachment-too-large", Severity::Error, "attachments[8].data"),
        ]
    );
    assert_eq!(ds[0].attachment, uuid(12));
    assert_eq!(
        ds[0].message,
        "敖永军户的照片“残疾人证”内容与其 sha256 不符，文件可能已损坏或被改动。"
    );
    assert_eq!(ds[2].message, "敖永军户的一张未写说明的照片没有随文件带来内容（只有说明）。");
    assert!(ds[6].message.contains("超过 8.0 MB 的上限"), "{}", ds[6].message);
    for d in &ds {
        assert!(d.message.ends_with('。') && d.message.matches('。').count() == 1, "{d}");
    }

    // A tampered signature names its signer; a signature that is not SVG is flagged.
    let mut h2 = testkit::complete().build();
    let mut s = signed(&h2, 20, SignRole::Assessor, "李秀英");
    s.data = base64_encode(b"<svg/>");
    s.mime = "image/png".into();
    h2.attachments.push(s);
    let ds = check_attachments(&h2);
    assert_eq!(ds.len(), 2);
    assert!(ds[1].message.starts_with("敖永军户的风险研判人李秀英的签名内容与其 sha256 不符"));
    assert_eq!(ds[0].code, AttachmentCode::MimeUnexpected);
}

#[test]
fn taking_the_photos_out() {
    let mut h = testkit::complete().build();
    h.attachments.push(photo(10, "危房正面", b"jpeg"));
    let sig = signed(&h, 11, SignRole::Surveyor, "王建国");
    h.attachments.push(sig.clone());
    let taken = take_photo_bytes(&mut h);
    assert_eq!(taken, vec![(uuid(10), b"jpeg".to_vec())]);
    assert!(h.attachments[0].data.is_empty());
    assert_eq!(h.attachments[1], sig, "signatures stay inline");
    assert!(take_photo_bytes(&mut h).is_empty());
}

#[test]
fn the_evidence_summary() {
    let mut h = testkit::complete().build();
    assert_eq!(evidence_summary(&h).text(), "无");
    h.attachments.push(photo(10, "残疾人证", b"a"));
    h.attachments.push(photo(11, "", b"b"));
    assert_eq!(evidence_summary(&h).text(), "照片2张：残疾人证、未写说明");
    let a = signed(&h, 12, SignRole::Surveyor, "王建国");
    h.attachments.push(a);
    let b = signed(&h, 13, SignRole::Assessor, "李秀英");
    h.attachments.push(b);
    assert_eq!(
        evidence_summary(&h).text(),
        "照片2张：残疾人证、未写说明；签名2个：本户排查人王建国、风险研判人李秀英"
    );
    h.attachments.push(photo(14, "危房", b"c"));
    assert_eq!(
        evidence_summary(&h).text(),
        "照片3张：残疾人证、未写说明、危房；签名2个：本户排查人王建国、风险研判人李秀英（2个签字后有修改）"
    );
}

#[test]
fn attachments_round_trip_and_old_ones_stay_as_they_were() {
    // An attachment as the format had it: written back byte for byte (no new keys appear).
    let old = r#"{"id":"00000000-0000-0000-0000-00000000000a","kind":"photo","caption":"危房","mime":"image/jpeg","sha256":"ab","data":"","app":1}"#;
    let a: Attachment = serde_json::from_str(old).unwrap();
    assert_eq!(crate::json::to_string(&a), old);
    // Every new key, read and written back; null reads as empty.
    let mut full = photo(10, "危房正面", b"x");
    full.member = Some(uuid(3));
    full.extra.insert("later".into(), serde_json::json!([1]));
    let text = crate::json::to_string(&full);
    let back: Attachment = serde_json::from_str(&text).unwrap();
    assert_eq!(back, full);
    let sig = signed(&testkit::complete().build(), 11, SignRole::Head, "敖永军");
    let back: Attachment = serde_json::from_str(&crate::json::to_string(&sig)).unwrap();
    assert_eq!(back, sig);
    assert!(crate::json::to_string(&sig).contains(r#""role":"head""#));
    let nulls = r#"{"id":"00000000-0000-0000-0000-00000000000a","path":null,"signer":null,"signed_digest":null,"bytes":null,"role":null}"#;
    let a: Attachment = serde_json::from_str(nulls).unwrap();
    assert!(a.path.is_empty() && a.signer.is_empty() && a.bytes.is_none() && a.role.is_none());
    assert!(serde_json::from_str::<Attachment>(
        r#"{"id":"00000000-0000-0000-0000-00000000000a","role":"boss"}"#
    )
    .is_err());
    assert_eq!(SignRole::ALL.len(), 3);
    assert_eq!(SignRole::from_code("assessor"), Some(SignRole::Assessor));
    assert_eq!(SignRole::Surveyor.label(), "本户排查人");
}
