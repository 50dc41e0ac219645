//! `guide serve`: builds the site into memory, serves it over HTTP, rebuilds what a change
//! needs and pushes a reload (or a stylesheet swap, or the error) to every open page.
//!
//! Three owners, no shared mutable state beyond the [`hub::Hub`]:
//! - the rebuild thread owns the loaded site ([`live_site::LiveSite`]) and the file watcher;
//!   it turns batches of changed paths into rebuilds and publishes each outcome to the hub;
//! - the hub holds what is served (the last good build's files, the current error) and the
//!   channel of events to open pages;
//! - the HTTP server (axum on its own tokio runtime) reads the hub.
//!
//! [`Server`] ties them together and stops them in order.

pub mod changes;
pub mod http;
pub mod hub;
pub mod live_site;
pub mod watch;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::runtime::Runtime;
use tokio::sync::watch as signal;

use self::changes::ChangedPath;
use self::hub::Hub;
use self::live_site::LiveSite;
use crate::site::BuildOptions;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build. Its `base_url` is replaced by the server's own address.
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
}

impl ServeOptions {
    pub fn new(build: BuildOptions) -> ServeOptions {
        ServeOptions {
            build,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
        }
    }
}

enum Message {
    Changes(Vec<ChangedPath>),
    Stop,
}

/// A running preview server. Dropping it stops it too.
pub struct Server {
    address: SocketAddr,
    url: String,
    hub: Arc<Hub>,
    runtime: Option<Runtime>,
    server_task: Option<tokio::task::JoinHandle<io::Result<()>>>,
    stopping: signal::Sender<bool>,
    rebuilds: mpsc::Sender<Message>,
    rebuild_thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds, builds the site, starts watching and serving. A site that does not build still
    /// starts: its pages show the error until it is fixed. Only I/O problems (a port in use,
    /// a watch that cannot be set up) fail here. `report` receives the lines to print.
    pub fn start(
        options: ServeOptions,
        report: impl Fn(&str) + Send + 'static,
    ) -> io::Result<Server> {
        let listener = TcpListener::bind((options.bind, options.port))?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let url = format!("http://{}/", shown_address(address));

        let mut build = options.build.clone();
        build.base_url = Some(url.clone());
        // Watched paths arrive absolute; the loaded site must name files the same way.
        build.root = std::path::absolute(&build.root)?;
        build.output = std::path::absolute(&build.output)?;
        let mut live = LiveSite::new(build);
        let hub = Arc::new(Hub::new());

        let (rebuilds, messages) = mpsc::channel();
        let sender = rebuilds.clone();
        let classifier = live.classifier();
        let watcher = watch::Watcher::start(
            classifier.root(),
            classifier.watched_folders(),
            move |batch| {
                let _ = sender.send(Message::Changes(batch));
            },
        )
        .map_err(io::Error::other)?;

        hub.publish(live.build_all(), &report);

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("guide-serve")
            .enable_all()
            .build()?;
        let (stopping, stopped) = signal::channel(false);
        let app = http::router(http::AppState {
            hub: hub.clone(),
            stopping: stopped.clone(),
        });
        let server_task = runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            let mut stopped = stopped;
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.wait_for(|stop| *stop).await;
                })
                .await
        });

        let rebuild_hub = hub.clone();
        let rebuild_thread = std::thread::Builder::new()
            .name("guide-rebuild".into())
            .stack_size(crate::threads::RENDER_STACK_BYTES)
            .spawn(move || rebuild_loop(live, watcher, messages, &rebuild_hub, &report))?;

        Ok(Server {
            address,
            url,
            hub,
            runtime: Some(runtime),
            server_task: Some(server_task),
            stopping,
            rebuilds,
            rebuild_thread: Some(rebuild_thread),
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The URL pages are served at, ending in `/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    /// Calls `ready` once an interrupt would be caught, blocks until one comes (Ctrl-C, or
    /// SIGTERM on Unix), then stops.
    pub fn run_until_interrupted(mut self, ready: impl FnOnce(&Server)) -> io::Result<()> {
        if let Some(runtime) = &self.runtime {
            let interrupted = interrupted(runtime)?;
            ready(&self);
            runtime.block_on(interrupted);
        }
        // A full rebuild of a large site can take a while; the process is ending, so it need
        // not be waited for.
        self.shutdown(false);
        Ok(())
    }

    /// Stops serving (closing open event streams), watching and rebuilding.
    pub fn stop(mut self) {
        self.shutdown(true);
    }

    fn shutdown(&mut self, wait_for_rebuild: bool) {
        let _ = self.stopping.send(true);
        if let (Some(runtime), Some(task)) = (&self.runtime, self.server_task.take()) {
            let _ = runtime.block_on(task);
        }
        let _ = self.rebuilds.send(Message::Stop);
        if let Some(thread) = self.rebuild_thread.take() {
            if wait_for_rebuild {
                let _ = thread.join();
            }
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown(true);
    }
}

/// How long to wait for more of a batch whose files may still be being written. The debouncer
/// lets each event go once it is old enough, so a save whose events straddle one of its ticks
/// arrives as two batches a tick apart; rebuilding after the first would show a half-written
/// file. A batch of one file left whole (see [`changes::builds_at_once`]) is built at once: on
/// Linux, where a closed file is reported, that is an editor's save.
const SETTLE: Duration = Duration::from_millis(5);

/// Rebuilds once per batch of changes; changes that arrive during a rebuild are taken
/// together into the next one.
fn rebuild_loop(
    mut live: LiveSite,
    mut watcher: watch::Watcher,
    messages: mpsc::Receiver<Message>,
    hub: &Hub,
    report: &dyn Fn(&str),
) {
    while let Ok(message) = messages.recv() {
        let Message::Changes(mut batch) = message else {
            break;
        };
        let mut stop = false;
        loop {
            // Whatever came meanwhile joins the batch; only a batch not yet whole waits.
            let more = if changes::builds_at_once(&batch, |path| live.reads(path)) {
                messages.try_recv().ok()
            } else {
                messages.recv_timeout(SETTLE).ok()
            };
            match more {
                Some(Message::Changes(more)) => batch.extend(more),
                Some(Message::Stop) => stop = true,
                None => break,
            }
        }
        if stop {
            break;
        }
        watcher.watch_folders(&batch);
        hub.publish(live.apply(&batch), report);
    }
    watcher.stop();
}

/// Registers for interrupts at once, so one arriving right after start-up is not missed.
#[cfg(unix)]
fn interrupted(runtime: &Runtime) -> io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let _entered = runtime.enter();
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn interrupted(_runtime: &Runtime) -> io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// The address to show: an unspecified bind address is reached at the loopback one.
fn shown_address(address: SocketAddr) -> SocketAddr {
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), address.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), address.port())
        }
        _ => address,
    }
}

/// `guide serve`: serves until Ctrl-C, printing the URL and one line per rebuild.
pub fn run(options: ServeOptions, open: bool) -> io::Result<()> {
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}, reachable from other machines; the preview server is \
             meant for this one (use --bind 127.0.0.1)",
            options.bind
        );
    }
    let server = Server::start(options, |line| println!("{}", line.trim_end()))?;
    server.run_until_interrupted(|server| {
        println!(
            "serving at {} (watching site.toml, content/, themes/, templates/, static/; Ctrl-C to stop)",
            server.url()
        );
        if open {
            open_browser(server.url());
        }
    })?;
    println!("stopped");
    Ok(())
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(error) = std::process::Command::new(command).arg(url).spawn() {
        eprintln!("could not open a browser ({command}: {error}); open {url} yourself");
    }
}
