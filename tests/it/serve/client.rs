//! A raw HTTP/1.1 client over loopback, so requests reach the server byte for byte (no URL
//! normalisation), and a Server-Sent Events reader.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value as Json;

/// Generous: a debug build of a rebuild on a busy machine, never a timing assertion.
pub const PATIENCE: Duration = Duration::from_secs(20);

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

pub fn get(address: SocketAddr, raw_path: &str) -> Response {
    request(address, "GET", raw_path)
}

pub fn request(address: SocketAddr, method: &str, raw_path: &str) -> Response {
    let mut stream = TcpStream::connect(address).expect("connect to the server");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "{method} {raw_path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let (status, headers) = read_head(&mut reader);
    let body = if method == "HEAD" {
        Vec::new()
    } else if headers
        .get("transfer-encoding")
        .is_some_and(|value| value.contains("chunked"))
    {
        let mut body = Vec::new();
        while let Some(chunk) = read_chunk(&mut reader) {
            body.extend(chunk);
        }
        body
    } else if let Some(length) = headers.get("content-length") {
        let mut body = vec![0; length.parse().unwrap()];
        reader.read_exact(&mut body).unwrap();
        body
    } else {
        let mut body = Vec::new();
        reader.read_to_end(&mut body).unwrap();
        body
    };
    Response {
        status,
        headers,
        body,
    }
}

fn read_head(reader: &mut impl BufRead) -> (u16, BTreeMap<String, String>) {
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let mut headers = BTreeMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    (status, headers)
}

/// One chunk of a chunked body; `None` at the end or when the connection closes.
fn read_chunk(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut size_line = String::new();
    if reader.read_line(&mut size_line).ok()? == 0 {
        return None;
    }
    let size = usize::from_str_radix(size_line.trim().split(';').next()?, 16).ok()?;
    if size == 0 {
        return None;
    }
    let mut chunk = vec![0; size + 2];
    reader.read_exact(&mut chunk).ok()?;
    chunk.truncate(size);
    Some(chunk)
}

/// One event: its name and its data, parsed as JSON.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: Json,
}

/// A connection to the event stream, read on a thread of its own.
pub struct Events {
    received: mpsc::Receiver<Option<Event>>,
    pub closed: bool,
}

impl Events {
    pub fn connect(address: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(address).expect("connect to the event stream");
        write!(
            stream,
            "GET /__guide/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (sender, received) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let (status, headers) = read_head(&mut reader);
            assert_eq!(status, 200);
            assert_eq!(
                headers.get("content-type").map(String::as_str),
                Some("text/event-stream")
            );
            let mut pending = String::new();
            while let Some(chunk) = read_chunk(&mut reader) {
                pending.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = pending.find("\n\n") {
                    let block: String = pending.drain(..end + 2).collect();
                    if let Some(event) = parse_event(&block) {
                        if sender.send(Some(event)).is_err() {
                            return;
                        }
                    }
                }
            }
            let _ = sender.send(None);
        });
        Events {
            received,
            closed: false,
        }
    }

    /// The next event, or `None` once the server closed the stream.
    pub fn next(&mut self) -> Option<Event> {
        self.next_within(PATIENCE)
            .unwrap_or_else(|| panic!("no event within {PATIENCE:?}"))
    }

    /// Like [`Events::next`], but `None` when nothing came within `patience`.
    pub fn next_within(&mut self, patience: Duration) -> Option<Option<Event>> {
        if self.closed {
            return Some(None);
        }
        match self.received.recv_timeout(patience) {
            Ok(Some(event)) => Some(Some(event)),
            Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                self.closed = true;
                Some(None)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => None,
        }
    }

    /// The next event, which must be named `name`.
    pub fn wait_for(&mut self, name: &str) -> Event {
        match self.next() {
            Some(event) if event.name == name => event,
            Some(event) => panic!("expected a {name} event, got {event:?}"),
            None => panic!("the stream closed while waiting for {name}"),
        }
    }
}

/// Reads one SSE block: `event:` and `data:` lines; comments (keep-alives) yield nothing.
fn parse_event(block: &str) -> Option<Event> {
    let mut name = None;
    let mut data = String::new();
    for line in block.lines() {
        if let Some(value) = line.strip_prefix("event:") {
            name = Some(value.trim().to_string());
        } else if let Some(value) = line.strip_prefix("data:") {
            data.push_str(value.trim_start());
        }
    }
    Some(Event {
        name: name?,
        data: serde_json::from_str(&data).unwrap_or(Json::Null),
    })
}
