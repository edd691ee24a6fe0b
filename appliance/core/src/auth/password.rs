//! Passwords: argon2id hashes (PHC strings), never stored in clear; readable generated
//! passwords. Hashing is slow on purpose: call these on the blocking pool.

use argon2::password_hash::rand_core::OsRng;
use std::cell::RefCell;

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::Rng;

use crate::{Error, Result};

/// Characters of generated passwords: no 0/O, 1/l/I, which are misread on a printed letter.
const READABLE: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A hash of nothing anyone knows, verified when a login does not exist so that unknown
/// logins take as long as known ones.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$\
                          GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo";

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (argon2id, random salt).
pub fn hash(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::PasswordHash(e.to_string()))
}

/// A SHA-512-crypt hash (`$6$`, 5,000 rounds, random salt): the salted scheme slapd (`{CRYPT}`)
/// and Samba verify natively, about a millisecond of CPU.
pub fn crypt_sha512(password: &str) -> Result<String> {
    let params = sha_crypt::Sha512Params::new(sha_crypt::ROUNDS_DEFAULT)
        .map_err(|e| Error::PasswordHash(format!("{e:?}")))?;
    sha_crypt::sha512_simple(password, &params).map_err(|e| Error::PasswordHash(format!("{e:?}")))
}

/// The most memory a stored hash may ask for (KiB): hashes come from our store and imports,
/// and a check must not be made to allocate without bound.
const MAX_MEMORY_KIB: u32 = 64 * 1024;

thread_local! {
    /// This thread's argon2 memory, allocated once. A fresh 19 MiB per check costs page faults
    /// (zeroing it is a tenth of the check) and leaves glibc's per-thread arenas holding the
    /// freed blocks: the password workers keep theirs for the life of the process.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Whether a stored hash is SHA-512-crypt (an initial password, or one from the domain).
pub fn is_crypt(stored: &str) -> bool {
    stored.starts_with("$6$")
}

/// Whether `password` matches the stored hash (argon2id, or SHA-512-crypt); a malformed hash
/// never matches.
pub fn verify(stored: &str, password: &str) -> bool {
    if is_crypt(stored) {
        return sha_crypt::sha512_check(password, stored).is_ok();
    }
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    // Whatever the variant, no check allocates more than the bound.
    if Params::try_from(&parsed).map_or(true, |p| p.m_cost() > MAX_MEMORY_KIB) {
        return false;
    }
    if parsed.algorithm != argon2::ARGON2ID_IDENT {
        // Older or foreign PHC strings: the library's own path (allocates its memory).
        return Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
    }
    verify_argon2id(&parsed, password.as_bytes()).unwrap_or(false)
}

/// An argon2id check in this thread's reused memory; `None` when the hash is malformed.
fn verify_argon2id(parsed: &PasswordHash<'_>, password: &[u8]) -> Option<bool> {
    let params = Params::try_from(parsed).ok()?;
    let version = match parsed.version {
        Some(v) => Version::try_from(v).ok()?,
        None => Version::V0x13,
    };
    let expected = parsed.hash?;
    let mut salt = [0u8; 64];
    let salt = parsed.salt?.decode_b64(&mut salt).ok()?;
    let mut out = [0u8; 64];
    let out = out.get_mut(..expected.len())?;
    let count = params.block_count();
    BLOCKS
        .with_borrow_mut(|blocks| {
            if blocks.len() < count {
                blocks.resize(count, Block::default());
            }
            Argon2::new(Algorithm::Argon2id, version, params).hash_password_into_with_memory(
                password,
                salt,
                out,
                &mut blocks[..count],
            )
        })
        .ok()?;
    // Output's equality is constant-time.
    Some(Output::new(out).ok()? == expected)
}

/// Like [`verify`], but spends the same time when there is no hash at all, or only a fast
/// one: an initial password's SHA-512-crypt check alone would tell which logins exist and still
/// have their letter's password.
pub fn verify_or_dummy(stored: Option<&str>, password: &str) -> bool {
    match stored {
        Some(h) if is_crypt(h) => {
            let ok = verify(h, password);
            let _ = verify(DUMMY_HASH, password);
            ok
        }
        Some(h) => verify(h, password),
        None => {
            let _ = verify(DUMMY_HASH, password);
            false
        }
    }
}

/// Checks a password against its stored hash (or the dummy one) on one of the bounded
/// workers: [`crate::Error::Busy`] when too many checks are waiting.
pub async fn check(stored: Option<String>, password: String) -> Result<bool> {
    super::gate::password_work()?
        .run(move || Ok(verify_or_dummy(stored.as_deref(), &password)))
        .await
}

/// Hashes one password on one of the bounded workers.
pub async fn hash_bounded(password: String) -> Result<String> {
    super::gate::password_work()?
        .run(move || hash(&password))
        .await
}

/// Hashes many passwords with argon2id on the blocking pool, one task per core (the demo
/// seed's accounts, whose passwords are not changed at first sign-in). Returns the hashes in the order given.
pub async fn hash_many(passwords: Vec<String>) -> Result<Vec<String>> {
    on_every_core(passwords, hash).await
}

/// Hashes generated initial passwords (an import's hundreds or thousands) with SHA-512-crypt,
/// one task per core: they are random (about 58 bits), printed on a letter and changed at first
/// sign-in, so they need a salted hash slapd and Samba verify, not a memory-hard one; argon2id
/// is kept for the passwords people choose. Returns the hashes in the order given.
pub async fn hash_initial_many(passwords: Vec<String>) -> Result<Vec<String>> {
    on_every_core(passwords, crypt_sha512).await
}

async fn on_every_core(
    passwords: Vec<String>,
    hash: fn(&str) -> Result<String>,
) -> Result<Vec<String>> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = passwords.len().div_ceil(workers).max(1);
    let tasks: Vec<_> = passwords
        .chunks(chunk)
        .map(|part| {
            let part = part.to_vec();
            crate::error::blocking(move || part.iter().map(|p| hash(p)).collect::<Result<Vec<_>>>())
        })
        .collect();
    let mut out = Vec::with_capacity(passwords.len());
    for t in tasks {
        out.extend(t.await?);
    }
    Ok(out)
}

/// The NT hash Samba checks (`sambaNTPassword`): MD4 of the UTF-16LE password, upper-case
/// hex. Password-equivalent: written only where Samba integration is on.
pub fn nt_hash(password: &str) -> String {
    use md4::{Digest, Md4};
    let utf16: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
    Md4::digest(&utf16)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// A readable random password of `len` characters with at least a lowercase letter, an
/// uppercase letter and a digit.
pub fn generate_readable<R: Rng + ?Sized>(rng: &mut R, len: usize) -> String {
    let len = len.max(8);
    loop {
        let p: String = (0..len)
            .map(|_| READABLE[rng.random_range(0..READABLE.len())] as char)
            .collect();
        let has = |f: fn(&char) -> bool| p.chars().any(|c| f(&c));
        if has(char::is_ascii_lowercase)
            && has(char::is_ascii_uppercase)
            && has(char::is_ascii_digit)
        {
            return p;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn hash_then_verify() {
        let h = hash("Tilleul-2026").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("Tilleul"));
        assert!(verify(&h, "Tilleul-2026"));
        assert!(!verify(&h, "tilleul-2026"));
        assert!(!verify("not a hash", "x"));
    }

    #[test]
    fn reused_memory_checks_like_the_library_and_refuses_huge_costs() {
        // Other parameters than ours, made by the library itself: still checked right, and
        // again after a larger check has grown this thread's memory.
        let small = Params::new(8 * 1024, 1, 1, None).unwrap();
        let salt = SaltString::generate(&mut OsRng);
        let other = Argon2::new(Algorithm::Argon2id, Version::V0x13, small.clone())
            .hash_password(b"Cantine-5e", &salt)
            .unwrap()
            .to_string();
        assert!(verify(&other, "Cantine-5e"));
        assert!(verify(&hash("Tilleul-2026").unwrap(), "Tilleul-2026"));
        assert!(verify(&other, "Cantine-5e"));
        assert!(!verify(&other, "cantine-5e"));
        // 1 GiB asked for: refused without allocating it.
        let huge = other.replace("m=8192", "m=1048576");
        assert!(!verify(&huge, "Cantine-5e"));
        // Another variant goes through the library, under the same bound.
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, small)
            .hash_password(b"Cantine-5e", &salt)
            .unwrap()
            .to_string();
        assert!(verify(&argon2i, "Cantine-5e"));
        assert!(!verify(
            &argon2i.replace("m=8192", "m=1048576"),
            "Cantine-5e"
        ));
    }

    #[test]
    fn crypt_sha512_is_what_libc_and_slapd_verify() {
        let h = crypt_sha512("Tilleul-2026").unwrap();
        assert!(h.starts_with("$6$"), "{h}");
        assert!(sha_crypt::sha512_check("Tilleul-2026", &h).is_ok());
        assert!(sha_crypt::sha512_check("tilleul-2026", &h).is_err());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn initial_passwords_are_salted_crypt_and_check_as_slowly_as_any() {
        let hashes = hash_initial_many(vec!["Tilleul26".into(), "Tilleul26".into()])
            .await
            .unwrap();
        assert!(hashes.iter().all(|h| is_crypt(h)), "{hashes:?}");
        assert_ne!(hashes[0], hashes[1], "salted");
        assert!(verify(&hashes[0], "Tilleul26"));
        assert!(!verify(&hashes[0], "tilleul26"));
        // A fast hash still costs an argon2id check, like an unknown login.
        let t = std::time::Instant::now();
        assert!(verify_or_dummy(Some(&hashes[1]), "Tilleul26"));
        let crypt = t.elapsed();
        let t = std::time::Instant::now();
        assert!(!verify_or_dummy(None, "Tilleul26"));
        assert!(
            crypt * 2 > t.elapsed(),
            "{crypt:?} against {:?}",
            t.elapsed()
        );
    }

    #[test]
    fn nt_hash_matches_the_known_vector() {
        assert_eq!(nt_hash("password"), "8846F7EAEE8FB117AD06BDD830B7586C");
    }

    #[test]
    fn dummy_hash_parses() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify_or_dummy(None, "anything"));
    }

    #[test]
    fn generated_passwords_are_readable() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            let p = generate_readable(&mut rng, 10);
            assert_eq!(p.len(), 10);
            assert!(!p.contains(['0', 'O', '1', 'l', 'I']), "{p}");
        }
    }
}
