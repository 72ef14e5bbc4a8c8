use super::*;
use crate::domain::household::TenantStatus;
use rust_decimal::Decimal;

fn row(id: i64, account: &str, name: &str, address: &str, phone: &str) -> HouseholdSummary {
    HouseholdSummary {
        household_id: id,
        account: account.into(),
        name: name.into(),
        address: address.into(),
        phone: Some(phone.into()),
        status: TenantStatus::Present,
        debt: Decimal::ZERO,
        monthly_net: Decimal::ONE_HUNDRED,
        phase: None,
    }
}

/// An index that answers the one-character queries from what it kept, as the workstation's.
fn served(mut idx: SearchIndex) -> SearchIndex {
    idx.answer_first_keys();
    idx
}

fn index() -> SearchIndex {
    SearchIndex::new(vec![
        row(
            1,
            "411-000001",
            "Élodie Béranger",
            "3 rue de l'Église, 68100 Mulhouse",
            "03 89 12 34 56",
        ),
        row(
            2,
            "411-000002",
            "Marc Dupont",
            "8 avenue Jean Jaurès, 01000 Bourg-en-Bresse",
            "06 11 22 33 44",
        ),
        row(
            3,
            "411-000003",
            "Zoé Lefèvre et Cœur Mansour",
            "1 place d'Armes, 68000 Colmar",
            "07 00 00 00 01",
        ),
    ])
}

#[test]
fn folds_both_sides() {
    let idx = index();
    let hits = idx.search("elodie beranger", 10);
    assert_eq!(hits[0].index, 0);
    let hits = idx.search("ÉLODIE", 10);
    assert_eq!(hits[0].index, 0);
    let hits = idx.search("coeur", 10);
    assert_eq!(hits[0].index, 2);
}

#[test]
fn finds_account_address_and_phone() {
    let idx = index();
    assert_eq!(idx.search("411-000002", 1)[0].index, 1);
    assert_eq!(idx.search("jaures", 1)[0].index, 1);
    assert_eq!(idx.search("0611223344", 1)[0].index, 1);
    assert!(idx.search("xyzzy", 10).is_empty());
}

#[test]
fn highlights_original_characters() {
    let idx = index();
    let hit = &idx.search("beranger", 1)[0];
    let display: Vec<char> = idx.candidate(hit.index).display.chars().collect();
    let matched: String = hit.positions.iter().map(|&p| display[p]).collect();
    assert_eq!(matched, "Béranger");
}

#[test]
fn candidates_come_back_whole_from_the_packed_index() {
    let mut rows = vec![
        row(
            7,
            "411-000007",
            "Zoé Lefèvre et Cœur Mansour",
            "1 place d'Armes, 68000 Colmar",
            "07 00 00 00 01",
        ),
        row(8, "411-000008", "Sans Adresse", "", "03 00"),
    ];
    rows[1].phone = None;
    rows[1].debt = Decimal::new(12345, 2);
    rows[1].phase = Some(Phase::Amicable);
    rows[1].status = TenantStatus::Departed;
    let mut empty_phone = row(9, "411-000009", "Téléphone Vide", "2 rue X", "");
    empty_phone.monthly_net = Decimal::new(-5000, 2);
    rows.push(empty_phone);
    let idx = SearchIndex::new(rows.clone());
    for (i, r) in rows.iter().enumerate() {
        let c = idx.candidate(i);
        assert_eq!(&c.summary, r);
        assert_eq!(idx.name(i), r.name);
        assert_eq!(idx.household_id(i), r.household_id);
        // The ranges ranking reads: the folded names, where they sit in the folded text.
        assert_eq!(&idx.text(i)[idx.names(i)], fold_key(&r.name));
    }
    // Each text ends where the next starts, the last at the buffer's end.
    assert_eq!(idx.text(1), "411-000008 * sans adresse");
    assert_eq!(idx.text(2), "411-000009 * telephone vide * 2 rue x *  ");
    // What a short query reads of every household stays 40 bytes.
    assert_eq!(std::mem::size_of::<Hot>(), 40);
    assert_eq!(
        idx.candidate(0).display,
        "411-000007 · Zoé Lefèvre et Cœur Mansour · 1 place d'Armes, 68000 Colmar · 07 00 00 00 01"
    );
    assert_eq!(idx.candidate(1).display, "411-000008 · Sans Adresse");
    assert_eq!(
        idx.candidate(2).display,
        "411-000009 · Téléphone Vide · 2 rue X · "
    );
}

/// What a list of hits ranks: which households, with which scores, in order.
fn ranked(hits: &[Hit]) -> Vec<(usize, i64)> {
    hits.iter().map(|h| (h.index, h.score)).collect()
}

/// The results as defined, without any shortcut: every match ranked (`tier`, then debt,
/// then index), the first `SCORED` scored by the matcher, the best `limit` by score (ties:
/// higher debt, account, index).
fn brute_best(idx: &SearchIndex, q: &str, limit: usize) -> Vec<(usize, i64)> {
    let q = fold_key(q.trim());
    let keep = pool_size(limit);
    let mut ranked: Vec<(u8, u32, usize)> = (0..idx.len())
        .filter(|&i| rank::is_subsequence(q.as_bytes(), idx.text(i).as_bytes()))
        .map(|i| {
            (
                rank::tier(&q, idx.text(i), idx.names(i)),
                idx.debt_rank[i],
                i,
            )
        })
        .collect();
    ranked.sort_unstable();
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut scored: Vec<(usize, i64)> = ranked
        .into_iter()
        .take(keep)
        .filter_map(|(_, _, i)| matcher.fuzzy_match(idx.text(i), &q).map(|s| (i, s)))
        .collect();
    let account = |i: usize| idx.candidate(i).summary.account;
    scored.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(
                idx.entries[b.0]
                    .debt_cents
                    .cmp(&idx.entries[a.0].debt_cents),
            )
            .then_with(|| account(a.0).cmp(&account(b.0)))
            .then(a.0.cmp(&b.0))
    });
    scored.truncate(limit);
    scored
}

#[test]
fn narrowing_gives_the_same_results() {
    let idx = index();
    let mut n = Narrowing::default();
    let mut last = Vec::new();
    for q in ["m", "mu", "mul", "mulh"] {
        let (hits, total) = n.run(&idx, q, 10);
        let fresh = idx.search(q, 10);
        assert_eq!(ranked(&hits), ranked(&fresh), "query {q}");
        // The narrowing leaves the highlights to the rows drawn: the same on demand.
        for (h, f) in hits.iter().zip(&fresh) {
            assert!(h.positions.is_empty());
            assert_eq!(idx.positions(h.index, q), f.positions, "query {q}");
        }
        assert_eq!(total, hits.len());
        last = hits;
    }
    assert_eq!(last[0].index, 0);
    // A query that does not extend the previous one starts again from all households.
    let (hits, _) = n.run(&idx, "dupont", 10);
    assert_eq!(hits[0].index, 1);
}

#[test]
fn the_mask_and_subsequence_test_agree_with_a_plain_search() {
    for (q, t) in [
        ("ab", "xaxb"),
        ("ba", "xaxb"),
        ("a", "bcd"),
        ("e@", "e@x"),
        ("@e", "e@x"),
        ("é", "e"),
        ("", "abc"),
    ] {
        let plain = {
            let mut it = t.bytes();
            q.bytes().all(|c| it.any(|h| h == c))
        };
        let (q, t) = (q.as_bytes(), t.as_bytes());
        assert_eq!(rank::is_subsequence(q, t), plain);
        if plain {
            assert_eq!(rank::mask_of(t) & rank::mask_of(q), rank::mask_of(q));
        }
    }
}

/// A generated population: names from a few first names and surnames, debts spread, so that
/// one or two letters match most households.
fn population(n: usize) -> Vec<HouseholdSummary> {
    let first = [
        "Élodie", "Marc", "Zoé", "Anne", "Mehdi", "Lucas", "Inès", "Paul",
    ];
    let last = [
        "Béranger",
        "Martin",
        "Müller",
        "Dupont",
        "Mansour",
        "Lefèvre",
    ];
    let streets = ["rue de l'Église", "avenue Jean Jaurès", "place d'Armes"];
    (0..n)
        .map(|i| {
            let mut r = row(
                i as i64 + 1,
                // One account in five holds letters (searched from its start).
                &if i % 5 == 1 {
                    format!("ML-{i:06}")
                } else {
                    format!("411-{i:06}")
                },
                &format!("{} {}", first[i % first.len()], last[(i / 7) % last.len()]),
                &format!("{} {}, 68100 Mulhouse", i % 90, streets[i % 3]),
                &format!("03 89 {:02} {:02} {:02}", i % 97, i % 89, i % 83),
            );
            // Many equal debts (zero), as in a real portfolio.
            r.debt = Decimal::new(((i * 7919) % 13) as i64 * 10_000 * ((i % 3) as i64), 2);
            r
        })
        .collect()
}

/// The pool as defined: every match (byte subsequence) sorted by rank, then debt (highest
/// first), then index; the first `keep`.
fn brute_pool(idx: &SearchIndex, q: &str, keep: usize) -> Vec<usize> {
    let mut v: Vec<(u8, u32, usize)> = (0..idx.len())
        .filter(|&i| rank::is_subsequence(q.as_bytes(), idx.text(i).as_bytes()))
        .map(|i| {
            (
                rank::tier(q, idx.text(i), idx.names(i)),
                idx.debt_rank[i],
                i,
            )
        })
        .collect();
    v.sort_unstable();
    let mut out: Vec<usize> = v.into_iter().take(keep).map(|x| x.2).collect();
    out.sort_unstable();
    out
}

#[test]
fn ranking_with_shortcuts_gives_the_pool_of_the_definition() {
    let idx = SearchIndex::new(population(3_000));
    for q in [
        "m", "e", "ma", "ar", "mu", "9", "el", "zq", "an m", "'", "mansour", "lae", "a-a", "·",
        "411", "0389", "ue ", "ll", "ines m", "jaures", "d'armes", "68100 mu", "n j",
    ] {
        let q = fold_key(q);
        for keep in [1, 10, 200, 1_000, 5_000] {
            let m = idx.matching(&q, None, keep);
            let brute_total = (0..idx.len())
                .filter(|&i| rank::is_subsequence(q.as_bytes(), idx.text(i).as_bytes()))
                .count();
            assert_eq!(m.len(), brute_total, "query {q:?}");
            let mut pool = rank::pool(&idx, &m, keep);
            pool.sort_unstable();
            assert_eq!(pool, brute_pool(&idx, &q, keep), "query {q:?}, keep {keep}");
        }
    }
}

#[test]
fn ranking_split_over_threads_gives_the_pool_of_the_definition() {
    // Above PARALLEL_FROM: each thread takes its shortcuts on its own part.
    let idx = SearchIndex::new(population(PARALLEL_FROM + 5_000));
    for q in ["m", "ar", "lae", "mu"] {
        for keep in [10, 1_000] {
            let m = idx.matching(q, None, keep);
            let mut pool = rank::pool(&idx, &m, keep);
            pool.sort_unstable();
            assert_eq!(pool, brute_pool(&idx, q, keep), "query {q:?}, keep {keep}");
        }
    }
}

#[test]
fn short_queries_put_word_starts_in_the_names_first() {
    let idx = SearchIndex::new(population(3_000));
    // "m" starts Marc, Mehdi, Martin, Müller, Mansour: every hit shown has a name word on "m".
    let (hits, total) = Narrowing::default().run(&idx, "m", 50);
    assert_eq!(hits.len(), 50);
    // Every household lives in Mulhouse: all match.
    assert_eq!(total, 3_000);
    for h in &hits {
        let name = fold_key(idx.name(h.index));
        assert!(
            name.split(' ').any(|w| w.starts_with('m')),
            "{name} shown for « m »"
        );
    }
    // Among equal scores the higher debt comes first.
    let debts: Vec<i64> = hits
        .iter()
        .map(|h| idx.entries[h.index].debt_cents)
        .collect();
    for w in hits.windows(2).zip(debts.windows(2)) {
        let (h, d) = w;
        if h[0].score == h[1].score {
            assert!(d[0] >= d[1]);
        }
    }
}

#[test]
fn narrowing_over_a_large_set_gives_the_same_results_as_a_fresh_search() {
    let idx = served(SearchIndex::new(population(25_000)));
    let mut n = Narrowing::default();
    for q in ["m", "ma", "mar", "marc", "marc ", "marc d", "marc dup"] {
        let (hits, total) = n.run(&idx, q, 20);
        assert_eq!(ranked(&hits), ranked(&idx.search(q, 20)), "query {q}");
        assert_eq!(ranked(&hits), brute_best(&idx, q, 20), "query {q}");
        let q = fold_key(q);
        let brute = (0..idx.len())
            .filter(|&i| rank::is_subsequence(q.as_bytes(), idx.text(i).as_bytes()))
            .count();
        assert_eq!(total, brute, "query {q}");
        // What the next keystroke narrows from: the same set, in index order (above 20,000
        // candidates the scan is split between threads; the parts must join in order). A
        // first character is answered from the index and lists none: the next keystroke tests
        // the whole index.
        let expected: Vec<u32> = (0..idx.len() as u32)
            .filter(|&i| rank::is_subsequence(q.as_bytes(), idx.text(i as usize).as_bytes()))
            .collect();
        if n.whole {
            assert!(n.matches.is_empty() && q.len() == 1, "query {q}");
        } else {
            assert!(
                n.matches == expected,
                "query {q}: not the matches of the definition"
            );
        }
    }
}

/// Narrows `typed` keystroke by keystroke as the workstation does (each from the previous
/// matches and what was learnt of them) and checks every step against the definition: the
/// matches in index order and the pool.
fn check_narrowing(idx: &SearchIndex, typed: &[&str], keep: usize) {
    let mut prev: Option<(Vec<u32>, Vec<u32>)> = None;
    for q in typed {
        let q = fold_key(q);
        let m = idx.matching(
            &q,
            prev.as_ref().map(|(a, b)| (a.as_slice(), b.as_slice())),
            keep,
        );
        let mut pool = rank::pool(idx, &m, keep);
        pool.sort_unstable();
        assert_eq!(pool, brute_pool(idx, &q, keep), "query {q:?}, keep {keep}");
        let (ids, states) = m.into_ids();
        let expected: Vec<u32> = (0..idx.len() as u32)
            .filter(|&i| rank::is_subsequence(q.as_bytes(), idx.text(i as usize).as_bytes()))
            .collect();
        assert_eq!(ids, expected, "query {q:?}, keep {keep}");
        assert_eq!(states.len(), ids.len());
        prev = Some((ids, states));
    }
}

#[test]
fn narrowing_from_what_the_previous_keystroke_learnt_gives_the_pool_of_the_definition() {
    let idx = SearchIndex::new(population(3_000));
    let typed: [&[&str]; 10] = [
        &["m", "ma", "mar", "marc", "marc ", "marc d", "marc du"],
        // Letters found in the accounts that hold some (rank 2), in no names.
        &["m", "ml", "ml-", "ml-0"],
        // A letter of the names then one of the address: proven by the masks, then resumed.
        &["m", "mh", "mhe", "mhes"],
        &["z", "zo", "zoe", "zoe ", "zoe l"],
        &["e", "el", "ele", "elem"],
        &["l", "la", "lae", "laeu"],
        &["a", "an", "ann", "anne", "anne m", "anne mu"],
        &["4", "41", "411", "411-", "411-0"],
        &["0", "03", "038", "0389"],
        &["r", "ru", "rue", "rue ", "rue d"],
    ];
    for keep in [1, 10, 200, 1_000, 5_000] {
        for t in typed {
            check_narrowing(&idx, t, keep);
        }
    }
}

#[test]
fn narrowing_split_over_threads_from_what_was_learnt_gives_the_pool_of_the_definition() {
    let idx = SearchIndex::new(population(PARALLEL_FROM + 5_000));
    for keep in [10, 1_000] {
        check_narrowing(&idx, &["m", "mu", "mul", "mulh"], keep);
        check_narrowing(&idx, &["e", "en", "enn", "enne"], keep);
    }
}

#[test]
fn word_starts_and_state_bounds() {
    // "j" starts "jean", "d" starts "d'arc" and "a" starts "arc" (after an apostrophe).
    let ws = rank::word_starts(b"jean d'arc");
    let m = rank::mask_of(b"jda");
    assert_eq!(ws, m);
    // A query longer than what a state can hold keeps working.
    let idx = index();
    let mut n = Narrowing::default();
    let long = "a".repeat(300);
    assert_eq!(n.run(&idx, &long, 10).1, 0);
    let (_, total) = n.run(&idx, "elodie", 10);
    assert_eq!(total, 1);
}

#[test]
fn a_rank_holding_more_than_the_pool_is_cut_to_its_best_debts() {
    // 300 households named "Anne …", debts 0.00 to 2.99 € in index order: "anne" is a word of
    // every one's names (rank 0). With a pool of 3, the three highest debts are indices 299,
    // 298 and 297; the rank is cut on the way (at 2 × 3 + 64 = 70 kept), far below 300.
    let rows: Vec<HouseholdSummary> = (0..300)
        .map(|i| {
            let mut r = row(
                i + 1,
                &format!("411-{i:06}"),
                &format!("Anne N{i}"),
                "1 rue X",
                "03 00",
            );
            r.debt = Decimal::new(i, 2);
            r
        })
        .collect();
    let idx = SearchIndex::new(rows);
    let m = idx.matching("anne", None, 3);
    assert_eq!(
        m.len(),
        300,
        "every match is still counted and kept for narrowing"
    );
    assert!(m.tier_len(0) < 70, "rank 0 was cut: {}", m.tier_len(0));
    let mut pool = rank::pool(&idx, &m, 3);
    pool.sort_unstable();
    assert_eq!(pool, vec![297, 298, 299]);
    // The three shown are those, highest debt first (equal scores).
    let (hits, total) = Narrowing::default().run(&idx, "anne", 3);
    assert_eq!(total, 300);
    assert_eq!(
        hits.iter().map(|h| h.index).collect::<Vec<_>>(),
        vec![299, 298, 297]
    );
}

#[test]
fn the_results_shown_are_those_of_the_definition() {
    // Above the sizes where the scan and the scoring are split between cores and the ranks are
    // cut: a shortcut that dropped a household that should be shown fails here.
    let idx = served(SearchIndex::new(population(PARALLEL_FROM + 5_000)));
    for typed in [
        &["e", "el", "elo", "elod"][..],
        &["m", "mu", "mul"],
        &["a", "an", "ann", "anne", "anne m"],
        &["r", "ru", "rue", "rue d"],
        &["4", "41", "411-0"],
    ] {
        for limit in [1, 20, 200] {
            let mut n = Narrowing::default();
            for q in typed {
                let (hits, _) = n.run(&idx, q, limit);
                assert_eq!(
                    ranked(&hits),
                    brute_best(&idx, q, limit),
                    "query {q}, limit {limit}"
                );
            }
        }
    }
}

#[test]
fn a_word_start_is_still_found_after_the_inner_matches_were_cut() {
    // 300 households "Benoit N…" (« en » inside a word: rank 1), debts 1.00 to 3.99 € in index
    // order, and at index 150 "Enzo Roy" (« en » starts a word: rank 0) with no debt. With a
    // pool of 3, rank 1 is cut after 70 of them to its best debts, and Enzo's place (last by
    // debt) is after the cut: only rank 0 can still bring it in, and it must. The pool: Enzo,
    // then the two highest debts of rank 1 (indices 300 and 299).
    let mut rows: Vec<HouseholdSummary> = (0..301)
        .map(|i| {
            let mut r = row(
                i + 1,
                &format!("411-{i:06}"),
                &format!("Benoit N{i}"),
                "1 rue X",
                "03 00",
            );
            r.debt = Decimal::new(100 + i, 2);
            r
        })
        .collect();
    rows[150].name = "Enzo Roy".into();
    rows[150].debt = Decimal::ZERO;
    let idx = SearchIndex::new(rows);
    assert_eq!(idx.debt_rank[150], 300, "Enzo is last by debt");
    let m = idx.matching("en", None, 3);
    assert_eq!(m.len(), 301);
    assert!(m.tier_len(1) < 70, "rank 1 was cut: {}", m.tier_len(1));
    let mut pool = rank::pool(&idx, &m, 3);
    pool.sort_unstable();
    assert_eq!(pool, vec![150, 299, 300]);
    assert_eq!(pool, brute_pool(&idx, "en", 3));
}

#[test]
fn one_character_queries_are_answered_from_the_index_as_defined() {
    // Above the sizes where the scan and the scoring are split between cores: every kept
    // character (letters, digits, the punctuation of names and addresses), at several limits,
    // gives the results and the count of the definition, whether typed as a first keystroke
    // (answered from what the index kept) or asked alone (`search`).
    let computed = SearchIndex::new(population(PARALLEL_FROM + 5_000));
    let idx = served(SearchIndex::new(population(PARALLEL_FROM + 5_000)));
    for c in "abcdefghijklmnopqrstuvwxyz0123456789-'.,".chars() {
        let q = c.to_string();
        let matching = (0..idx.len())
            .filter(|&i| rank::is_subsequence(q.as_bytes(), idx.text(i).as_bytes()))
            .count();
        for limit in [1, 20, 200, SCORED] {
            let (hits, total) = Narrowing::default().run(&idx, &q, limit);
            assert_eq!(
                ranked(&hits),
                brute_best(&idx, &q, limit),
                "{q:?}, limit {limit}"
            );
            assert_eq!(total, matching, "{q:?}");
            assert_eq!(ranked(&idx.search(&q, limit)), ranked(&hits), "{q:?}");
            // The same as an index that computes every keystroke.
            let (computed_hits, computed_total) = Narrowing::default().run(&computed, &q, limit);
            assert_eq!(ranked(&computed_hits), ranked(&hits), "{q:?}");
            assert_eq!(computed_total, total, "{q:?}");
        }
    }
    // Upper case and accents fold to a kept character.
    let (hits, _) = Narrowing::default().run(&idx, "É", 20);
    assert_eq!(ranked(&hits), brute_best(&idx, "e", 20));
    // A limit above the pool is computed, not answered from the index.
    let (hits, _) = Narrowing::default().run(&idx, "m", SCORED + 10);
    assert_eq!(ranked(&hits), brute_best(&idx, "m", SCORED + 10));
}

#[test]
fn the_keystroke_after_a_kept_answer_tests_the_whole_index() {
    // The first keystroke keeps no list of matches: the second finds the same matches (in
    // index order, with their count) as a narrowing from a computed first keystroke.
    let idx = served(SearchIndex::new(population(PARALLEL_FROM + 5_000)));
    for typed in [["z", "zo", "zoe"], ["m", "mu", "mul"], ["4", "41", "411"]] {
        let mut kept = Narrowing::default();
        for q in typed {
            let (hits, total) = kept.run(&idx, q, 200);
            assert_eq!(ranked(&hits), brute_best(&idx, q, 200), "{q:?}");
            let expected: Vec<u32> = (0..idx.len() as u32)
                .filter(|&i| rank::is_subsequence(q.as_bytes(), idx.text(i as usize).as_bytes()))
                .collect();
            assert_eq!(total, expected.len(), "{q:?}");
            if q.len() > 1 {
                assert!(
                    kept.matches == expected,
                    "{q:?}: not the matches of the definition"
                );
                assert!(!kept.whole);
            } else {
                assert!(kept.whole && kept.matches.is_empty());
            }
        }
    }
}

#[test]
fn letters_of_an_account_are_found_whether_or_not_accounts_hold_letters() {
    // Accounts of digits let a letter be looked for from the names on; an account that holds
    // letters is searched from its start, like any text.
    let idx = served(SearchIndex::new(vec![
        row(
            1,
            "ZX-000001",
            "Anne Roy",
            "1 rue Haute, 68100 Mulhouse",
            "03 89 00 00 01",
        ),
        row(
            2,
            "411-000002",
            "Anne Zoxa",
            "2 rue Haute, 68100 Mulhouse",
            "03 89 00 00 02",
        ),
        row(
            3,
            "411-000003",
            "Paul Roy",
            "3 rue Basse, 68100 Mulhouse",
            "03 89 00 00 03",
        ),
    ]));
    let mut n = Narrowing::default();
    for (q, expected) in [("z", 2), ("zx", 2), ("zx-", 1), ("zx-0", 1)] {
        let (hits, total) = n.run(&idx, q, 10);
        assert_eq!(total, expected, "{q:?}");
        assert_eq!(ranked(&hits), brute_best(&idx, q, 10), "{q:?}");
    }
    assert_eq!(Narrowing::default().run(&idx, "zx", 10).0[0].index, 0);
    // The flag is that of the text: set for the digits, not for the letters.
    assert_eq!(idx.hot[0].names_ws & rank::NO_LETTER_BEFORE_NAMES, 0);
    assert_ne!(idx.hot[1].names_ws & rank::NO_LETTER_BEFORE_NAMES, 0);
}
