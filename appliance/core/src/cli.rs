//! The command-line help in French: clap writes its own words in English (« Usage: »,
//! « Print help », « [default: …] »); every command of cartable's binaries goes through
//! [`french`] before parsing.

use clap::{Arg, ArgAction, Command};

const TEMPLATE: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

/// The same command, its help said in French, subcommands included.
pub fn french(cmd: Command) -> Command {
    let versioned = cmd.get_version().is_some();
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("Commandes")
        .subcommand_value_name("COMMANDE")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("aide")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Affiche cette aide"),
        );
    if versioned {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Affiche la version"),
        );
    }
    cmd.mut_args(|a| {
        // Flags say nothing of values or defaults.
        if !a.get_action().takes_values() {
            return a;
        }
        let defaults: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        let values: Vec<String> = if a.is_hide_possible_values_set() {
            Vec::new()
        } else {
            a.get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_owned())
                .collect()
        };
        if (defaults.is_empty() || a.is_hide_default_value_set()) && values.is_empty() {
            return a;
        }
        let mut help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
        help = help.trim_end_matches('.').to_owned();
        if !values.is_empty() {
            help.push_str(&format!(" ; valeurs : {}", values.join(", ")));
        }
        if !defaults.is_empty() && !a.is_hide_default_value_set() {
            let d = defaults.join(", ");
            if help.is_empty() {
                help = format!("Par défaut : {d}");
            } else {
                help.push_str(&format!(" (par défaut : {d})"));
            }
        }
        a.hide_default_value(true)
            .hide_possible_values(true)
            .help(help)
    })
    .mut_subcommands(french)
}

#[cfg(test)]
mod tests {
    use clap::{Arg, Command};

    #[test]
    fn help_is_in_french() {
        let mut cmd = super::french(
            Command::new("outil")
                .version("1")
                .about("Un outil")
                .subcommand(
                    Command::new("lance").about("Lance").arg(
                        Arg::new("port")
                            .long("port")
                            .default_value("8443")
                            .help("Port d'écoute"),
                    ),
                ),
        );
        let top = cmd.render_help().to_string();
        assert!(top.contains("Utilisation : outil"), "{top}");
        assert!(top.contains("Commandes"), "{top}");
        assert!(top.contains("Affiche cette aide"), "{top}");
        assert!(top.contains("Affiche la version"), "{top}");
        assert!(!top.contains("Print"), "{top}");
        assert!(!top.contains("Usage"), "{top}");
        let sub = cmd
            .find_subcommand_mut("lance")
            .map(|s| s.render_help().to_string())
            .unwrap_or_default();
        assert!(sub.contains("Port d'écoute (par défaut : 8443)"), "{sub}");
        assert!(!sub.contains("[default"), "{sub}");
    }
}
