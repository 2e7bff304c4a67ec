use super::*;

const KEY: &str = "age1q5zhvuff6dpxsddv2vr3rpvlc70vx77wmlncehp722jf82fkfsask4gupd";

fn sample() -> TownshipConfig {
    let mut c = TownshipConfig::new("额尔和乡");
    c.banner = "莫力达瓦达斡尔族自治旗".into();
    c.villages = vec!["额尔和村".into(), "霍日里村".into(), "西瓦尔图村".into()];
    let mut p = Policy::shipped(2023);
    p.confirmed = true;
    p.source = "额尔和乡乡村振兴办公室 2023-02-10 核对".into();
    c.policies = vec![p];
    c.recipient = Some(KEY.into());
    c.lock_required = true;
    c.issued_at = "2023-02-10T09:00:00+08:00".into();
    c
}

fn codes(e: &[ConfigDiagnostic]) -> Vec<&'static str> {
    e.iter().map(|d| d.code.code()).collect()
}

#[test]
fn writes_and_reads_back() {
    let c = sample();
    let text = write_config(&c);
    assert!(text.starts_with("{\n  \"format\": \"ruhu.config/1\""), "{text}");
    assert!(text.ends_with("}\n"));
    let back = read_config(text.as_bytes()).unwrap();
    assert_eq!(back.config, c);
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(
        back.config.policy(2023).unwrap().monitoring_line,
        rust_decimal::Decimal::from(7000)
    );
    // A minimal file, a minor version, a BOM, unknown keys kept and said.
    let min =
        "\u{feff}{\"format\":\"ruhu.config/1.2\",\"township\":\" 额尔和乡 \",\"theme\":{\"x\":1}}";
    let r = read_config(min.as_bytes()).unwrap();
    assert_eq!(r.config.township, "额尔和乡");
    assert_eq!(r.config.recipient, None);
    assert!(!r.config.lock_required);
    assert_eq!(codes(&r.warnings), ["config-unknown-key"]);
    assert!(write_config(&r.config).contains("\"theme\""), "unknown keys are written back");
}

#[test]
fn refusals_are_coded_and_chinese() {
    let e = |text: &str| read_config(text.as_bytes()).unwrap_err();
    assert_eq!(codes(&e("{\"township\":\"x\"}")), ["config-format"]);
    assert_eq!(codes(&e("{\"format\":\"ruhu.export/1\",\"records\":[]}")), ["config-format"]);
    let v2 = e("{\"format\":\"ruhu.config/2\",\"township\":\"x\"}");
    assert!(v2[0].message.contains("不支持的格式版本"), "{}", v2[0]);
    assert_eq!(codes(&e("[1]")), ["config-unreadable"]);
    let cut = e("{\"format\":\"ruhu.config/1\",\"town");
    assert_eq!(codes(&cut), ["config-unreadable"]);
    assert!(cut[0].message.contains("不完整"), "{}", cut[0]);
    let ty = e("{\"format\":\"ruhu.config/1\",\"township\":\"x\",\"lock_required\":\"是\"}");
    assert_eq!(codes(&ty), ["config-type"]);
    assert_eq!(ty[0].path, "lock_required");
    let sealed = e("-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n");
    assert_eq!(codes(&sealed), ["config-sealed"]);
    assert!(sealed[0].message.contains("不含个人信息"));

    // Several errors at once, each with its path.
    let mut c = sample();
    c.township = " ".into();
    c.villages.push("".into());
    c.policies
        .push(Policy { monitoring_line: rust_decimal::Decimal::ZERO, ..Policy::shipped(2023) });
    c.recipient = Some(format!("{}b", &KEY[..61]));
    let all = e(&write_config(&c));
    assert_eq!(
        codes(&all),
        [
            "config-township-missing",
            "config-village-empty",
            "config-policy-invalid",
            "config-policy-year-duplicate",
            "config-recipient-invalid"
        ],
        "{all:?}"
    );
    assert_eq!(all[2].path, "policies[1].monitoring_line");
    assert!(all[4].message.starts_with("一个无效的乡镇公钥"), "{}", all[4]);
    assert!(all.iter().all(|d| d.severity == ConfigSeverity::Error));
}

#[test]
fn warnings_do_not_refuse() {
    let mut c = sample();
    c.villages.push("额尔和村".into());
    c.policies.push(Policy::shipped(2024));
    let r = read_config(write_config(&c).as_bytes()).unwrap();
    assert_eq!(codes(&r.warnings), ["config-village-duplicate", "config-policy-unconfirmed"]);
    assert_eq!(r.config.villages.len(), 3);
    assert_eq!(r.warnings[1].path, "policies[1].confirmed");
}

#[test]
fn changes_before_applying() {
    let old = TownshipConfig::new("额尔和乡");
    assert!(sample().changes(&sample()).is_empty());
    let lines = sample().changes(&old);
    assert!(lines.contains(&"增加村：额尔和村、霍日里村、西瓦尔图村".to_string()), "{lines:?}");
    assert!(lines.contains(&"2023 年监测标准：7000 元（乡镇已核对）".to_string()), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("乡镇公钥：设为 age1q5zhvu…k4gupd")), "{lines:?}");
    assert!(lines.contains(&"应用锁：必须开启".to_string()));
    let mut other = sample();
    other.recipient = Some("age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq".into());
    other.villages.pop();
    let lines = other.changes(&sample());
    assert!(lines.iter().any(|l| l.contains("公钥变了")), "{lines:?}");
    assert!(lines.contains(&"去掉村：西瓦尔图村（已有记录不受影响）".to_string()), "{lines:?}");
}
