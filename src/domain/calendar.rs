//! French public holidays (jours fériés, Code du travail L3133-1) for any year, with the
//! Alsace-Moselle zone (Good Friday and 26 December, L3134-13). Easter is computed with the
//! Gregorian computus (Meeus/Jones/Butcher), never tabulated.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

/// Which holiday calendar applies: it follows the home's département.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Zone {
    /// Metropolitan France outside Alsace-Moselle.
    Metropole,
    /// Bas-Rhin (67), Haut-Rhin (68), Moselle (57).
    AlsaceMoselle,
}

impl Zone {
    /// The zone of a département code ("68" → Alsace-Moselle).
    pub fn for_departement(code: &str) -> Zone {
        match code.trim() {
            "57" | "67" | "68" => Zone::AlsaceMoselle,
            _ => Zone::Metropole,
        }
    }

    /// Stable code, as typed on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Zone::Metropole => "metropole",
            Zone::AlsaceMoselle => "alsace-moselle",
        }
    }

    /// Reads a code back.
    pub fn from_code(code: &str) -> Option<Zone> {
        match code.trim().to_lowercase().as_str() {
            "metropole" | "métropole" => Some(Zone::Metropole),
            "alsace-moselle" | "alsace_moselle" => Some(Zone::AlsaceMoselle),
            _ => None,
        }
    }

    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            Zone::Metropole => "métropole",
            Zone::AlsaceMoselle => "Alsace-Moselle",
        }
    }
}

/// One public holiday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    /// Its date.
    pub date: NaiveDate,
    /// Its French name.
    pub name: &'static str,
}

/// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a valid date")
}

/// The public holidays of `year` in `zone`, in date order.
pub fn holidays(year: i32, zone: Zone) -> Vec<Holiday> {
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(year, m, day).expect("fixed holiday");
    let e = easter(year);
    let mut list = vec![
        Holiday {
            date: d(1, 1),
            name: "Jour de l'an",
        },
        Holiday {
            date: e + Duration::days(1),
            name: "Lundi de Pâques",
        },
        Holiday {
            date: d(5, 1),
            name: "Fête du travail",
        },
        Holiday {
            date: d(5, 8),
            name: "Victoire 1945",
        },
        Holiday {
            date: e + Duration::days(39),
            name: "Ascension",
        },
        Holiday {
            date: e + Duration::days(50),
            name: "Lundi de Pentecôte",
        },
        Holiday {
            date: d(7, 14),
            name: "Fête nationale",
        },
        Holiday {
            date: d(8, 15),
            name: "Assomption",
        },
        Holiday {
            date: d(11, 1),
            name: "Toussaint",
        },
        Holiday {
            date: d(11, 11),
            name: "Armistice 1918",
        },
        Holiday {
            date: d(12, 25),
            name: "Noël",
        },
    ];
    if zone == Zone::AlsaceMoselle {
        list.push(Holiday {
            date: e - Duration::days(2),
            name: "Vendredi saint",
        });
        list.push(Holiday {
            date: d(12, 26),
            name: "Saint-Étienne",
        });
    }
    list.sort_by_key(|h| h.date);
    list
}

/// The holiday falling on `date` in `zone`, if any.
pub fn holiday_on(date: NaiveDate, zone: Zone) -> Option<Holiday> {
    holidays(date.year(), zone)
        .into_iter()
        .find(|h| h.date == date)
}

/// Why a day is not worked (Saturday, Sunday or a holiday's name), or `None` for a working day.
pub fn non_working_reason(date: NaiveDate, zone: Zone) -> Option<String> {
    match date.weekday() {
        Weekday::Sat => Some("samedi".into()),
        Weekday::Sun => Some("dimanche".into()),
        _ => holiday_on(date, zone).map(|h| format!("jour férié : {}", h.name)),
    }
}

/// Whether `date` is a working day in `zone` (not a Saturday, Sunday or public holiday).
pub fn is_working_day(date: NaiveDate, zone: Zone) -> bool {
    non_working_reason(date, zone).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    /// Gauss's Easter algorithm (with the Gregorian exceptions), independent of the one above.
    fn easter_gauss(year: i32) -> NaiveDate {
        let a = year % 19;
        let b = year % 4;
        let c = year % 7;
        let k = year / 100;
        let p = (13 + 8 * k) / 25;
        let q = k / 4;
        let m = (15 - p + k - q) % 30;
        let n = (4 + k - q) % 7;
        let dd = (19 * a + m) % 30;
        let e = (2 * b + 4 * c + 6 * dd + n) % 7;
        let mut day = 22 + dd + e; // in March, may exceed 31
        if dd == 29 && e == 6 {
            day -= 7; // 26 April → 19 April
        } else if dd == 28 && e == 6 && (11 * m + 11) % 30 < 19 {
            day -= 7; // 25 April → 18 April
        }
        if day > 31 {
            d(year, 4, (day - 31) as u32)
        } else {
            d(year, 3, day as u32)
        }
    }

    #[test]
    fn easter_of_known_years() {
        assert_eq!(easter(2000), d(2000, 4, 23));
        assert_eq!(easter(2008), d(2008, 3, 23));
        assert_eq!(easter(2011), d(2011, 4, 24));
        assert_eq!(easter(2019), d(2019, 4, 21));
        assert_eq!(easter(2024), d(2024, 3, 31));
        assert_eq!(easter(2025), d(2025, 4, 20));
        assert_eq!(easter(2026), d(2026, 4, 5));
        assert_eq!(easter(2027), d(2027, 3, 28));
        assert_eq!(easter(2028), d(2028, 4, 16));
        assert_eq!(easter(2038), d(2038, 4, 25));
    }

    #[test]
    fn easter_matches_gauss_2000_to_2040() {
        for year in 2000..=2040 {
            let e = easter(year);
            assert_eq!(e, easter_gauss(year), "année {year}");
            assert_eq!(e.weekday(), Weekday::Sun, "année {year}");
            assert!(e >= d(year, 3, 22) && e <= d(year, 4, 25), "année {year}");
            let hs = holidays(year, Zone::Metropole);
            assert_eq!(hs.len(), 11);
            let am = holidays(year, Zone::AlsaceMoselle);
            assert_eq!(am.len(), 13);
            let find =
                |list: &[Holiday], name: &str| list.iter().find(|h| h.name == name).map(|h| h.date);
            assert_eq!(
                find(&hs, "Lundi de Pâques").map(|x| x.weekday()),
                Some(Weekday::Mon)
            );
            assert_eq!(
                find(&hs, "Ascension").map(|x| x.weekday()),
                Some(Weekday::Thu)
            );
            assert_eq!(
                find(&hs, "Lundi de Pentecôte").map(|x| x.weekday()),
                Some(Weekday::Mon)
            );
            assert_eq!(
                find(&am, "Vendredi saint").map(|x| x.weekday()),
                Some(Weekday::Fri)
            );
            assert_eq!(find(&hs, "Vendredi saint"), None);
        }
    }

    #[test]
    fn table_of_the_research() {
        // domain-research.md §1.8
        let am = holidays(2026, Zone::AlsaceMoselle);
        let dates: Vec<NaiveDate> = am.iter().map(|h| h.date).collect();
        for x in [d(2026, 4, 3), d(2026, 4, 6), d(2026, 5, 14), d(2026, 5, 25)] {
            assert!(dates.contains(&x), "{x}");
        }
        let h27 = holidays(2027, Zone::Metropole);
        assert!(h27.iter().any(|h| h.date == d(2027, 3, 29)));
        assert!(h27.iter().any(|h| h.date == d(2027, 5, 6)));
        assert!(h27.iter().any(|h| h.date == d(2027, 5, 17)));
    }

    #[test]
    fn zones_and_working_days() {
        assert_eq!(Zone::for_departement("68"), Zone::AlsaceMoselle);
        assert_eq!(Zone::for_departement("57"), Zone::AlsaceMoselle);
        assert_eq!(Zone::for_departement("01"), Zone::Metropole);
        assert!(!is_working_day(d(2026, 4, 3), Zone::AlsaceMoselle));
        assert!(is_working_day(d(2026, 4, 3), Zone::Metropole));
        assert!(!is_working_day(d(2026, 12, 26), Zone::Metropole)); // Saturday anyway
        assert!(!is_working_day(d(2025, 12, 26), Zone::AlsaceMoselle));
        assert!(is_working_day(d(2025, 12, 26), Zone::Metropole));
        assert_eq!(
            non_working_reason(d(2026, 4, 6), Zone::Metropole).as_deref(),
            Some("jour férié : Lundi de Pâques")
        );
    }
}
