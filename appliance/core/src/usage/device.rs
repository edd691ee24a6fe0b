//! Phone, tablet or computer, from the browser's User-Agent: the hint MDN recommends
//! (« Mobi » for phones), nothing stored but the kind.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Device {
    Telephone,
    Tablette,
    Ordinateur,
}

impl Device {
    pub const ALL: [Device; 3] = [Device::Telephone, Device::Tablette, Device::Ordinateur];

    pub fn of_user_agent(ua: &str) -> Device {
        if ua.contains("Mobi") || ua.contains("iPhone") {
            Device::Telephone
        } else if ua.contains("iPad") || ua.contains("Tablet") || ua.contains("Android") {
            Device::Tablette
        } else {
            Device::Ordinateur
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Device::Telephone => "telephone",
            Device::Tablette => "tablette",
            Device::Ordinateur => "ordinateur",
        }
    }

    pub fn parse(s: &str) -> Option<Device> {
        Device::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Device::Telephone => "Téléphone",
            Device::Tablette => "Tablette",
            Device::Ordinateur => "Ordinateur",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Device;

    #[test]
    fn phones_tablets_and_computers_are_told_apart() {
        for (ua, d) in [
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
                Device::Telephone,
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36",
                Device::Telephone,
            ),
            (
                "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
                Device::Tablette,
            ),
            (
                "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15",
                Device::Tablette,
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
                Device::Ordinateur,
            ),
            ("", Device::Ordinateur),
        ] {
            assert_eq!(Device::of_user_agent(ua), d, "{ua}");
        }
    }
}
