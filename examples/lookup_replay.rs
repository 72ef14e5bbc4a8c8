//! Replays the bench's lookup keystrokes (50 names typed letter by letter) over a database's
//! index, timing the narrowing alone: wall and process CPU time per keystroke, p50 / p99 and
//! the slowest. Callgrind counts the keystrokes' instructions alone with
//! `--collect-atstart=no --toggle-collect='*Narrowing*run*'`.
//! `cargo run --release --example lookup_replay -- DB [passes] [names,comma,separated]`:
//! given names, those are typed instead of the bench's (to profile the slow keystrokes).

use std::time::{Duration, Instant};

use impayes::domain::fold::fold_key;
use impayes::search::{Narrowing, SearchIndex};
use impayes::store::{Store, household_summaries};

fn cpu_time() -> Duration {
    let mut ru = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; zeroed is a valid rusage.
    let ru = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, ru.as_mut_ptr());
        ru.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

fn pct(v: &[f64], q: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * q).round() as usize]
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let db = &args[1];
    let passes: usize = args.get(2).map_or(Ok(3), |s| s.parse())?;
    let given: Option<Vec<String>> = args.get(3).map(|s| s.split(',').map(fold_key).collect());
    let t = Instant::now();
    let store = Store::open(std::path::Path::new(db))?;
    let mut index = SearchIndex::new(household_summaries(store.conn())?);
    // As the workstation's index: the first keystroke is answered from it.
    index.answer_first_keys();
    eprintln!(
        "{} households, index {} MB, built in {:.1} s",
        index.len(),
        index.heap_bytes() / 1_000_000,
        t.elapsed().as_secs_f64()
    );
    let step = (index.len() / 50).max(1);
    let typed: Vec<String> = given.unwrap_or_else(|| {
        (0..index.len())
            .step_by(step)
            .take(50)
            .map(|i| fold_key(index.name(i)))
            .collect()
    });
    let mut checksum = 0usize;
    for pass in 0..passes {
        let (mut wall, mut cpu, mut slow) = (Vec::new(), Vec::new(), Vec::new());
        for name in &typed {
            let mut n = Narrowing::default();
            let mut q = String::new();
            for ch in name.chars() {
                q.push(ch);
                let (t, c) = (Instant::now(), cpu_time());
                let (hits, total) = n.run(&index, &q, 200);
                let w = t.elapsed().as_secs_f64() * 1000.0;
                wall.push(w);
                cpu.push((cpu_time() - c).as_secs_f64() * 1000.0);
                slow.push((w, q.clone(), total));
                checksum = checksum.wrapping_mul(31).wrapping_add(total).wrapping_add(
                    hits.iter()
                        .map(|h| h.index + h.score as usize)
                        .sum::<usize>(),
                );
            }
        }
        println!(
            "pass {pass}: by length (p50/p99/max ms) {}",
            by_length(&slow)
        );
        slow.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!(
            "pass {pass}: wall p50 {:.1} p99 {:.1} mean {:.2} | cpu p50 {:.1} p99 {:.1} | slowest {}",
            pct(&wall, 0.5),
            pct(&wall, 0.99),
            wall.iter().sum::<f64>() / wall.len() as f64,
            pct(&cpu, 0.5),
            pct(&cpu, 0.99),
            slow[..6.min(slow.len())]
                .iter()
                .map(|(w, q, t)| format!("«{q}» {w:.1} ({t})"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!("checksum {checksum}");
    Ok(())
}

/// Wall time by query length (1, 2, 3, 4 and more characters): p50 / p99 / max, in ms.
fn by_length(slow: &[(f64, String, usize)]) -> String {
    (1..=4)
        .map(|n| {
            let v: Vec<f64> = slow
                .iter()
                .filter(|(_, q, _)| q.chars().count().min(4) == n)
                .map(|s| s.0)
                .collect();
            if v.is_empty() {
                return String::new();
            }
            let max = v.iter().copied().fold(0.0, f64::max);
            format!(
                "{n}{}: {:.1}/{:.1}/{:.1}",
                if n == 4 { "+" } else { "" },
                pct(&v, 0.5),
                pct(&v, 0.99),
                max
            )
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}
