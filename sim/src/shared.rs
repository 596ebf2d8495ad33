//! The state every handler shares: credentials, knobs, the object store, the random
//! generator and the request statistics, each behind its own lock so that counting a
//! request never waits for a store operation.
//!
//! Locks are `std::sync::Mutex` held for short, non-async sections only.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::behaviour::Behaviour;
use crate::config::{Knobs, SimConfig};
use crate::model::destination::Destination;
use crate::model::group::Group;
use crate::store::Store;
use crate::time::Clock;

/// Locks a mutex, recovering the data if a previous holder panicked (the store stays
/// usable; a panic is a simulator bug, reported by the test that hit it).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) struct Shared {
    pub api_key: String,
    pub api_secret: String,
    pub user_id: String,
    pub group_id: String,
    pub max_body_bytes: usize,
    pub log_requests: bool,
    pub clock: Clock,
    pub knobs: Mutex<Knobs>,
    pub store: Mutex<Store>,
    pub rng: Mutex<StdRng>,
    pub behaviour: Mutex<Behaviour>,
}

const ADJECTIVES: &[&str] = &[
    "amber", "brisk", "calm", "decent", "eager", "fancy", "gentle", "hollow", "icy", "jolly",
    "keen", "lively", "mellow", "nimble", "opal", "proud", "quiet", "rapid", "sunny", "tidy",
    "upbeat", "vivid", "witty", "young", "zesty", "bold", "crisp", "dusty", "early", "fresh",
];
const NOUNS: &[&str] = &[
    "anchor", "badger", "canyon", "dropsy", "ember", "falcon", "glacier", "harbor", "island",
    "jigsaw", "kettle", "lantern", "meadow", "nectar", "orchid", "pebble", "quartz", "raven",
    "sickle", "thistle", "umbrella", "violet", "walnut", "yonder", "zephyr", "bramble", "cobalt",
    "dune", "fjord", "grove",
];

impl Shared {
    pub(crate) fn new(config: SimConfig) -> Self {
        let seed = config.seed.unwrap_or_else(|| {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            // Truncation is fine: any 64 bits of the clock make a seed.
            (nanos & u128::from(u64::MAX)) as u64
        });
        let mut rng = StdRng::seed_from_u64(seed);
        let clock = Clock::new();
        let mut store = Store::default();
        let group_id = config
            .group_id
            .clone()
            .unwrap_or_else(|| random_id(&mut rng, &store));
        let seq = store.next_seq();
        let created_at = clock.system_at(Instant::now());
        store.groups.insert(
            group_id.clone(),
            Group {
                id: group_id.clone(),
                seq,
                name: config.group_name.clone(),
                created_at,
            },
        );
        let seq = store.next_seq();
        store.destinations.insert(
            group_id.clone(),
            Destination::starting(&group_id, seq, created_at),
        );
        Shared {
            api_key: config.api_key,
            api_secret: config.api_secret,
            user_id: config.user_id,
            group_id,
            max_body_bytes: config.max_body_bytes,
            log_requests: config.log_requests,
            clock,
            knobs: Mutex::new(config.knobs),
            store: Mutex::new(store),
            rng: Mutex::new(rng),
            behaviour: Mutex::new(Behaviour::new(config.request_log_capacity)),
        }
    }

    /// A fresh id in the Fivetran style (`decent_dropsy`), unused in `store`.
    pub(crate) fn new_id(&self, store: &Store) -> String {
        random_id(&mut lock(&self.rng), store)
    }

    /// A copy of the current knobs.
    pub(crate) fn knobs(&self) -> Knobs {
        lock(&self.knobs).clone()
    }

    /// The wall-clock time now, on the simulator's clock.
    pub(crate) fn now_system(&self) -> SystemTime {
        self.clock.system_at(Instant::now())
    }
}

fn random_id(rng: &mut StdRng, store: &Store) -> String {
    loop {
        let adjective = ADJECTIVES[rng.random_range(0..ADJECTIVES.len())];
        let noun = NOUNS[rng.random_range(0..NOUNS.len())];
        let mut id = format!("{adjective}_{noun}");
        if store.id_taken(&id) {
            id = format!("{id}_{}", rng.random_range(0..100_000u32));
        }
        if !store.id_taken(&id) {
            return id;
        }
    }
}
