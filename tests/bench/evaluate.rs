//! Benchmark: evaluate 10,000 realistic households (4–6 members each) with the shipped 2023
//! policy, and print the total time (median of several runs), the time per household and
//! households per second. Run with `cargo bench --bench evaluate`.
//!
//! The households are a deterministic pseudo-random mix built from the complete household of
//! `ruhu::core::testkit::complete` (through `tests/common`): 4 to 6 members (50,027 in all),
//! about 15 % below the line, 15 % near it, 10 % with large A28 expenses, illness, disability
//! certificates, parents working away, elderly members, 三保障 gaps, 20 % monitoring objects
//! with measures (some eliminated), and 5 % records still being filled in.
//!
//! It evaluates all of them 15 times after one warm-up run and prints the median and best
//! wall time, the evaluating thread's CPU time (from `/proc/thread-self/schedstat`, so that
//! other processes on a busy machine do not count), µs per household, households per second
//! and the findings per run by severity. It then does the same with the index of every
//! person in the batch (`id-number-elsewhere`), as a batch is checked. `cargo test --benches`
//! runs it as a quick check on 200 households. No timing is asserted: this prints figures
//! only; the measured figures are in the README.

#[path = "../common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use common::*;
use ruhu::core::evaluation::Severity;
use ruhu::core::record::{
    Category, Education, EliminationMethod, Health, HouseGrade, Household, IdType, Labor, Relation,
    RiskType, Sex, WaterIssue, WorkArea,
};
use ruhu::core::rules::{evaluate, Context, PersonElsewhere};

const HOUSEHOLDS: usize = 10_000;
const RUNS: usize = 15;

/// xorshift64*: small, deterministic, good enough for a mix of test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// 0..n
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] =
    &["敖", "何", "郭", "孟", "沃", "吴", "苏", "鄂", "金", "张", "王", "李", "刘"];
const GIVEN: &[&str] =
    &["永军", "桂芝", "海龙", "雪", "德胜", "秀英", "建华", "丽", "志强", "玉梅", "宝山", "小宝"];
const ETHNICITIES: &[&str] = &["达斡尔族", "汉族", "蒙古族", "鄂温克族", "满族"];
const VILLAGES: &[&str] = &["额尔和村", "后兴发村", "哈力村", "前兴发村", "东伊兰村"];

fn birth(rng: &mut Rng, age_from: i32, age_to: i32) -> chrono::NaiveDate {
    let age = age_from + rng.below((age_to - age_from + 1) as u64) as i32;
    d(2023 - age - 1, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
}

fn yuan(n: u64) -> Option<ruhu::core::money::Money> {
    money(&format!("{}.{:02}", n / 100, n % 100))
}

/// One household of the mix.
fn household(rng: &mut Rng, n: usize) -> Household {
    let mut h = complete_household();
    h.id = uuid(0x1_0000_0000 + n as u128);
    h.household_id = uuid(0x2_0000_0000 + n as u128);
    h.address.village = rng.pick(VILLAGES).into();
    let surname = rng.pick(SURNAMES);
    let name = |rng: &mut Rng| format!("{surname}{}", rng.pick(GIVEN));

    // 4–6 members: head, spouse, then children, and a grandparent or grandchild.
    let size = 4 + rng.below(3) as usize;
    h.members.truncate(2);
    let seq_base = (n % 400) as u16 * 2;
    for (k, m) in h.members.iter_mut().enumerate() {
        let sex = if k == 0 { Sex::Male } else { Sex::Female };
        let b = birth(rng, 35, 62);
        *m = member(
            k as u128 + 10 * n as u128,
            &name(rng),
            sex,
            b,
            seq_base + k as u16,
            m.relation.unwrap(),
        );
        m.ethnicity = rng.pick(ETHNICITIES).into();
    }
    while h.members.len() < size {
        let k = h.members.len();
        let (relation, sex, age) = match (k, rng.below(4)) {
            (5, _) | (_, 0) => (Relation::Grandson, Sex::Male, (1, 12)),
            (_, 1) => (Relation::Mother, Sex::Female, (60, 85)),
            (_, 2) => (Relation::Daughter, Sex::Female, (5, 25)),
            _ => (Relation::Son, Sex::Male, (5, 25)),
        };
        let b = birth(rng, age.0, age.1);
        let mut m = member(
            k as u128 + 10 * n as u128,
            &name(rng),
            sex,
            b,
            seq_base + k as u16 + 100,
            relation,
        );
        let years = 2023 - chrono::Datelike::year(&b);
        if years < 16 {
            m.labor = Some(Labor::None);
            m.education = Some(if years < 7 { Education::Preschool } else { Education::Primary });
            m.pension_insurance = Some(false);
        } else if years >= 60 {
            m.labor = Some(rng.pick(&[Labor::Weak, Labor::Lost, Labor::None]));
            m.health = vec![Health::Chronic];
        }
        h.members.push(m);
    }

    // Illness, disability, 低保/特困, parents working away.
    for m in h.members.iter_mut() {
        if rng.chance(8) {
            m.health = vec![rng.pick(&[Health::Chronic, Health::SeriousIllness])];
        }
        if rng.chance(3) {
            m.id_type = Some(IdType::DisabilityCert);
            m.id_number = format!("{}{}{}", m.id_number, 1 + rng.below(7), 1 + rng.below(4));
            m.health = vec![Health::Disabled];
            m.labor = Some(Labor::Lost);
        }
        if rng.chance(3) {
            m.dibao = Some(true);
        }
    }
    if rng.chance(15) {
        h.members[0].work_area =
            Some(rng.pick(&[WorkArea::InProvince, WorkArea::OutOfProvince, WorkArea::InCounty]));
        h.members[1].work_area =
            Some(rng.pick(&[WorkArea::InProvince, WorkArea::OutOfProvince, WorkArea::InTownship]));
    }
    if rng.chance(2) {
        h.members[1].tekun = Some(true);
    }

    // Income: per capita spread around the line (7,000), in cents.
    let people = h.members.len() as u64;
    let per_capita = match rng.below(100) {
        0..=14 => 200_000 + rng.below(500_000),  // below the line
        15..=29 => 700_000 + rng.below(140_000), // near it
        _ => 840_000 + rng.below(2_000_000),     // comfortably above
    };
    let net = per_capita * people;
    let cost = rng.below(net / 3 + 1);
    let total = net + cost;
    let wage = total * rng.below(60) / 100;
    let transfer = rng.below(300_000).min(total - wage);
    let property = rng.below(100_000).min(total - wage - transfer);
    h.income.production = yuan(total - wage - transfer - property);
    h.income.wage = yuan(wage);
    h.income.property = yuan(property);
    h.income.transfer = yuan(transfer);
    h.income.production_cost = yuan(cost);
    if rng.chance(10) {
        h.income.other_expense = yuan(rng.below(3_000_000));
        h.income.other_expense_note =
            rng.pick(&["大病住院医疗费", "子女上大学学费", "洪涝灾害损失", "车祸"]).into();
    }

    // 三保障 gaps.
    if rng.chance(2) {
        h.guarantees.dropout = Some(true);
    }
    if rng.chance(4) {
        h.guarantees.safe_water = Some(false);
        h.guarantees.water_issues = vec![WaterIssue::Quality];
    }
    if rng.chance(4) {
        h.guarantees.dangerous_house = Some(true);
        h.guarantees.house_grade =
            Some(rng.pick(&[HouseGrade::C, HouseGrade::D, HouseGrade::Unassessed]));
    }
    if rng.chance(3) {
        h.members[2].medical_insurance = Some(false);
        h.guarantees.all_insured = Some(false);
    }

    // Monitoring objects (about 1 in 5), with measures; some eliminated.
    if rng.chance(20) {
        make_monitored(
            &mut h,
            d(2021 + rng.below(2) as i32, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32),
        );
        h.category = Some(rng.pick(&[
            Category::MonitoredUnstable,
            Category::MonitoredMarginal,
            Category::MonitoredHardship,
        ]));
        h.risk.types = vec![rng.pick(&[
            RiskType::Illness,
            RiskType::Disability,
            RiskType::NaturalDisaster,
            RiskType::Schooling,
        ])];
        if h.risk.types[0] == RiskType::NaturalDisaster {
            h.risk.disaster_types = vec![ruhu::core::record::DisasterType::Flood];
        }
        h.measures.industry.applied = Some(rng.chance(50));
        h.measures.employment.applied = Some(rng.chance(40));
        h.measures.social_security.applied = Some(rng.chance(30));
        if rng.chance(30) {
            eliminate(&mut h, rng.pick(&[EliminationMethod::Natural, EliminationMethod::Assisted]));
            h.elimination.months = Some(6 + rng.below(12) as u32);
        }
    } else {
        h.category = Some(rng.pick(&[
            Category::General,
            Category::General,
            Category::ExitedSupported,
            Category::ExitedUnsupported,
        ]));
        // The people's decision, mostly "no risk", some with a reason.
        let below = per_capita < 700_000;
        h.judgement.at_risk = Some(below);
        h.judgement.identify = Some(below && rng.chance(70));
        if h.judgement.identify == Some(true) {
            h.risk.types = vec![RiskType::Illness];
            set_all_measures(&mut h, Some(false));
            h.measures.health.applied = Some(true);
            h.elimination.eliminated = Some(false);
        } else if rng.chance(60) {
            h.judgement.reason = "收入稳定，已落实行业帮扶措施".into();
        }
    }
    // A few records still being filled in.
    if rng.chance(5) {
        h.members[size - 1].labor = None;
        h.phone = "139470".into();
    }
    h
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// This thread's CPU time (Linux `/proc/thread-self/schedstat`), so that other processes
/// on a busy machine do not count; `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(text.split_whitespace().next()?.parse().ok()?))
}

/// Wall time, CPU time (when known) and findings by severity of one run over all households.
fn run(households: &[Household], ctx: Context) -> (Duration, Option<Duration>, [usize; 4]) {
    let cpu = cpu_time();
    let start = Instant::now();
    let mut counts = [0usize; 4];
    for h in households {
        let ev = evaluate(black_box(h), ctx);
        for f in &ev.findings {
            counts[match f.severity {
                Severity::Error => 0,
                Severity::Risk => 1,
                Severity::Warning => 2,
                Severity::Info => 3,
            }] += 1;
        }
        black_box(&ev);
    }
    let wall = start.elapsed();
    (wall, cpu.zip(cpu_time()).map(|(a, b)| b - a), counts)
}

fn report(label: &str, households: &[Household], ctx: Context) {
    // One warm-up run, then the median of RUNS.
    let (_, _, counts) = run(households, ctx);
    let runs: Vec<(Duration, Option<Duration>)> =
        (0..RUNS).map(|_| run(households, ctx)).map(|(w, c, _)| (w, c)).collect();
    let walls: Vec<Duration> = runs.iter().map(|r| r.0).collect();
    let best = *walls.iter().min().unwrap();
    let med = median(walls);
    let n = households.len() as f64;
    println!(
        "{label}: {:.2} ms for {} households (wall, median of {RUNS}; best {:.2} ms) = {:.2} µs per household = {:.0} households/s",
        med.as_secs_f64() * 1e3,
        households.len(),
        best.as_secs_f64() * 1e3,
        med.as_secs_f64() * 1e6 / n,
        n / med.as_secs_f64(),
    );
    if let Some(cpus) = runs.iter().map(|r| r.1).collect::<Option<Vec<Duration>>>() {
        let cpu = median(cpus);
        println!(
            "    CPU time of the evaluating thread: {:.2} ms (median) = {:.2} µs per household = {:.0} households/s",
            cpu.as_secs_f64() * 1e3,
            cpu.as_secs_f64() * 1e6 / n,
            n / cpu.as_secs_f64(),
        );
    }
    println!(
        "    findings per run: {} error, {} risk, {} warning, {} info",
        counts[0], counts[1], counts[2], counts[3]
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this too: keep it quick then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let count = if quick { 200 } else { HOUSEHOLDS };
    let built = Instant::now();
    let households: Vec<Household> = (0..count).map(|n| household(&mut rng, n)).collect();
    let members: usize = households.iter().map(|h| h.members.len()).sum();
    println!(
        "built {count} households ({members} members, {:.1} per household) in {:.0} ms",
        members as f64 / count as f64,
        built.elapsed().as_secs_f64() * 1e3
    );

    let p = policy();
    let plain = Context::new(&p, today());
    if quick {
        let (_, _, counts) = run(&households, plain);
        println!("quick run (not a benchmark): {counts:?} findings by severity");
        return;
    }
    report("evaluate", &households, plain);

    // As a batch: with the index of every person in every other household.
    let mut index: HashMap<String, Vec<PersonElsewhere>> = HashMap::new();
    for h in &households {
        for m in &h.members {
            index.entry(m.id_number[..18].to_string()).or_default().push(PersonElsewhere {
                household_id: h.household_id,
                record_id: h.id,
                label: format!("{} {}户", h.address.village, h.head_name()),
            });
        }
    }
    let batch = Context { people_elsewhere: Some(&index), ..plain };
    report("evaluate with people index", &households, batch);
}
