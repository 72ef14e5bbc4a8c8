//! Sums gathered as lists in the order they were filed (an import appends one household's sums
//! per batch instead of looking each household up in a map), put in key order once and merged.

/// Sorts `rows` by `key` and merges the rows of equal keys into the first of them with
/// `merge(kept, next)`: afterwards each key appears once, in order.
pub(super) fn sort_and_merge<T, K: Ord>(
    rows: &mut Vec<T>,
    key: impl Fn(&T) -> K,
    merge: impl Fn(&mut T, &T),
) {
    rows.sort_unstable_by_key(&key);
    rows.dedup_by(|next, kept| {
        if key(next) == key(kept) {
            merge(kept, next);
            true
        } else {
            false
        }
    });
}

#[cfg(test)]
mod tests {
    use super::sort_and_merge;

    #[test]
    fn each_key_comes_once_in_order_with_its_values_summed() {
        let mut rows = vec![(3, 1), (1, 10), (3, 2), (2, 5), (1, -4), (3, 4)];
        sort_and_merge(&mut rows, |r| r.0, |kept, next| kept.1 += next.1);
        assert_eq!(rows, [(1, 6), (2, 5), (3, 7)]);
        let mut empty: Vec<(i32, i32)> = Vec::new();
        sort_and_merge(&mut empty, |r| r.0, |kept, next| kept.1 += next.1);
        assert!(empty.is_empty());
    }
}
