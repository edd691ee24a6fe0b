//! Figures by column (a week, an hour of the day) and by key (a service, a profile), as a
//! chart and its table show them; counts too small to show are masked the same way in both.

use std::collections::BTreeMap;

use crate::charts::{Series, stacked_bars, thousands};

/// Fewer than this (people, or visits by so few) is not shown: in a small établissement a
/// count of 2 « direction » visitors names them.
pub const MIN_SHOWN: i64 = 5;

/// What a chart draws and a total adds for a count: nothing when it is too small.
pub fn masked(v: i64) -> i64 {
    if v < MIN_SHOWN { 0 } else { v }
}

/// What a table shows for a count: « < 5 » when it is too small, « 0 » for none.
pub fn shown(v: i64) -> String {
    if v > 0 && v < MIN_SHOWN {
        format!("< {MIN_SHOWN}")
    } else {
        thousands(v.max(0))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid<X: Ord + Clone> {
    pub columns: Vec<X>,
    pub keys: Vec<String>,
    cells: BTreeMap<(X, String), i64>,
}

impl<X: Ord + Clone> Grid<X> {
    /// A grid with these columns, in this order, whatever has figures.
    pub fn new(columns: Vec<X>) -> Self {
        Self {
            columns,
            keys: Vec::new(),
            cells: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, x: X, key: &str, v: i64) {
        if !self.keys.iter().any(|k| k == key) {
            self.keys.push(key.to_owned());
        }
        *self.cells.entry((x, key.to_owned())).or_default() += v;
    }

    /// Orders the keys (series, lines of a table) by `rank`.
    pub fn order_keys_by(&mut self, rank: impl Fn(&str) -> usize) {
        self.keys.sort_by_key(|k| (rank(k), k.clone()));
    }

    /// Orders the keys by their masked total, largest first.
    pub fn order_keys_by_total(&mut self) {
        let totals: BTreeMap<String, i64> = self
            .keys
            .iter()
            .map(|k| (k.clone(), self.row(k).into_iter().map(masked).sum()))
            .collect();
        self.keys
            .sort_by(|a, b| totals[b].cmp(&totals[a]).then_with(|| a.cmp(b)));
    }

    pub fn get(&self, x: &X, key: &str) -> i64 {
        self.cells
            .get(&(x.clone(), key.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// A key's raw figures across the columns.
    pub fn row(&self, key: &str) -> Vec<i64> {
        self.columns.iter().map(|x| self.get(x, key)).collect()
    }

    /// A key's figures as drawn.
    pub fn masked_row(&self, key: &str) -> Vec<i64> {
        self.row(key).into_iter().map(masked).collect()
    }

    /// A column's total as drawn (masked counts are not added: no subtraction reveals them).
    pub fn column_total(&self, x: &X) -> i64 {
        self.keys.iter().map(|k| masked(self.get(x, k))).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.values().all(|v| *v == 0)
    }

    /// The grid as stacked bars: a bar per column, a series per key, small counts masked.
    pub fn chart(
        &self,
        id: &str,
        title: &str,
        column_label: impl Fn(&X) -> String,
        key_label: impl Fn(&str) -> String,
    ) -> String {
        let labels: Vec<String> = self.columns.iter().map(&column_label).collect();
        // A series with nothing to draw (all masked) stays out of the legend too.
        let drawn: Vec<&String> = self
            .keys
            .iter()
            .filter(|k| self.masked_row(k).iter().any(|v| *v > 0))
            .collect();
        let names: Vec<String> = drawn.iter().map(|k| key_label(k)).collect();
        let values: Vec<Vec<i64>> = drawn.iter().map(|k| self.masked_row(k)).collect();
        let series: Vec<Series<'_>> = names
            .iter()
            .zip(&values)
            .map(|(name, values)| Series { name, values })
            .collect();
        stacked_bars(id, title, &labels, &series)
    }

    /// The same numbers as a table: a line per column, a cell per key, and the total.
    pub fn table(
        &self,
        column_label: impl Fn(&X) -> String,
        key_label: impl Fn(&str) -> String,
    ) -> Table {
        Table {
            head: self.keys.iter().map(|k| key_label(k)).collect(),
            rows: self
                .columns
                .iter()
                .map(|x| TableRow {
                    label: column_label(x),
                    cells: self.keys.iter().map(|k| shown(self.get(x, k))).collect(),
                    total: thousands(self.column_total(x)),
                })
                .collect(),
        }
    }
}

/// A chart's numbers, as shown under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The keys' names (a service, a profile…).
    pub head: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// The column's name (« semaine du 7 septembre 2026 », « 8 h »).
    pub label: String,
    pub cells: Vec<String>,
    pub total: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_masked_alike_in_the_chart_the_table_and_the_totals() {
        let mut g = Grid::new(vec![1, 2]);
        g.add(1, "eleve", 120);
        g.add(1, "direction", 3);
        g.add(2, "eleve", 80);
        g.add(2, "direction", 6);
        g.add(2, "eleve", 1);
        assert_eq!(g.row("eleve"), vec![120, 81]);
        assert_eq!(g.masked_row("direction"), vec![0, 6]);
        assert_eq!(g.column_total(&1), 120, "the 3 is neither drawn nor added");
        assert_eq!(shown(3), "< 5");
        assert_eq!(shown(0), "0");
        assert_eq!(shown(12_345), "12\u{202f}345");
        g.order_keys_by_total();
        assert_eq!(g.keys, vec!["eleve", "direction"]);
        g.order_keys_by(|k| if k == "direction" { 0 } else { 1 });
        assert_eq!(g.keys, vec!["direction", "eleve"]);
    }
}
