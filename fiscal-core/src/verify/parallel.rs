//! The journal verifier on several threads (feature `std`): workers prepare chunks of lines
//! ([`LinePreparer`]), the calling thread reads the input and feeds the prepared lines to one
//! [`JournalVerifier`] in journal order. At most a few chunks are in flight, so memory does
//! not depend on the journal's length.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;

use super::{JournalReport, JournalVerifier, LinePreparer, PreparedLine, ReferencedReceipts};
use crate::document::MAX_JOURNAL_LINE;

/// Lines prepared together by one worker, their signatures checked in one batch: the
/// multi-scalar multiplication costs less a point the larger the batch (about 1.3 × less at
/// 512 than at 256; 1 024 gains little more and, measured on 100 000 documents, holds 6 MB more
/// of decoded documents in flight), and a chunk is still small enough that both cores stay
/// busy.
pub(super) const CHUNK_LINES: usize = 512;
/// …or fewer, once they hold this many bytes (a chunk always takes at least one line).
const CHUNK_BYTES: usize = 1 << 20;

/// A line of a chunk (without its LF; a CR before it is kept, for the verifier to report).
enum Line<'t> {
    /// Borrowed from the caller's text.
    Text(&'t str),
    /// Bytes `start..end` of the chunk's buffer.
    Bytes { start: usize, end: usize },
    /// A line longer than [`MAX_JOURNAL_LINE`] + 1 bytes, not kept: whether all its bytes
    /// were ASCII whitespace, and whether it ended with a CR. That is all the verifier
    /// reads of it (`LinePreparer::prepare` refuses such a line for its length, unless it
    /// is blank).
    TooLong { blank: bool, cr: bool },
}

/// Lines read together, and the buffer holding the ones read from a reader.
#[derive(Default)]
struct Chunk<'t> {
    buffer: Vec<u8>,
    lines: Vec<Line<'t>>,
}

impl Chunk<'_> {
    /// Prepares lines `from..` (the workers' part), their signatures checked in one batch.
    fn prepare<'r>(&self, from: usize, preparer: &LinePreparer<'r>) -> Vec<PreparedLine<'r>> {
        let mut lines: Vec<PreparedLine<'r>> = self
            .lines
            .get(from..)
            .unwrap_or_default()
            .iter()
            .map(|line| self.prepare_one(line, preparer, false))
            .collect();
        preparer.settle(&mut lines);
        lines
    }

    /// Prepares line `at` alone; `None` past the end.
    fn prepare_at<'r>(&self, at: usize, preparer: &LinePreparer<'r>) -> Option<PreparedLine<'r>> {
        self.lines
            .get(at)
            .map(|line| self.prepare_one(line, preparer, true))
    }

    fn prepare_one<'r>(
        &self,
        line: &Line<'_>,
        preparer: &LinePreparer<'r>,
        check: bool,
    ) -> PreparedLine<'r> {
        match *line {
            Line::Text(text) => preparer.prepare_text(text, check),
            Line::Bytes { start, end } => {
                preparer.prepare_bytes_with(self.buffer.get(start..end).unwrap_or_default(), check)
            }
            Line::TooLong { blank, cr } => preparer.prepare_too_long(blank, cr),
        }
    }
}

/// Where lines come from.
trait Source<'t> {
    /// The next chunk, empty at the end; and the bytes read so far.
    fn next_chunk(&mut self) -> io::Result<(Chunk<'t>, u64)>;
}

struct TextSource<'t, I: Iterator<Item = &'t str>> {
    lines: I,
    read: u64,
}

impl<'t, I: Iterator<Item = &'t str>> Source<'t> for TextSource<'t, I> {
    fn next_chunk(&mut self) -> io::Result<(Chunk<'t>, u64)> {
        let mut chunk = Chunk::default();
        let mut bytes = 0;
        while chunk.lines.len() < CHUNK_LINES && bytes < CHUNK_BYTES {
            let Some(line) = self.lines.next() else { break };
            bytes += line.len() + 1;
            chunk.lines.push(Line::Text(line));
        }
        self.read += bytes as u64;
        Ok((chunk, self.read))
    }
}

struct ReaderSource<R> {
    reader: R,
    read: u64,
}

impl<R: BufRead> ReaderSource<R> {
    /// Appends one line to `chunk`, without its LF (a CR before the LF stays, for the
    /// verifier to report: SPEC.md §13.5, one spelling); false at the end of the input.
    /// Lines end at each LF, and the last one at the end of the input, as
    /// [`super::journal_lines`] splits a text.
    fn read_line(&mut self, chunk: &mut Chunk<'_>) -> io::Result<bool> {
        let start = chunk.buffer.len();
        // The longest line that can be read: MAX_JOURNAL_LINE bytes, a CR, the LF.
        let keep = MAX_JOURNAL_LINE as u64 + 2;
        let n = self
            .reader
            .by_ref()
            .take(keep)
            .read_until(b'\n', &mut chunk.buffer)?;
        if n == 0 {
            return Ok(false);
        }
        self.read += n as u64;
        if chunk.buffer.last() == Some(&b'\n') {
            chunk.buffer.pop();
        } else if n as u64 == keep {
            // Too long to be read: skip the rest of it without keeping any, noting only
            // what the verifier reads of such a line (blank, a CR at its end).
            let kept = chunk.buffer.get(start..).unwrap_or_default();
            let mut blank = kept.iter().all(u8::is_ascii_whitespace);
            let mut last = kept.last().copied();
            chunk.buffer.truncate(start);
            loop {
                let (done, used) = {
                    let available = self.reader.fill_buf()?;
                    let (done, part, used) = match available.iter().position(|&b| b == b'\n') {
                        Some(i) => (true, available.get(..i).unwrap_or_default(), i + 1),
                        None => (available.is_empty(), available, available.len()),
                    };
                    blank &= part.iter().all(u8::is_ascii_whitespace);
                    last = part.last().copied().or(last);
                    (done, used)
                };
                self.reader.consume(used);
                self.read += used as u64;
                if done {
                    break;
                }
            }
            chunk.lines.push(Line::TooLong {
                blank,
                cr: last == Some(b'\r'),
            });
            return Ok(true);
        }
        chunk.lines.push(Line::Bytes {
            start,
            end: chunk.buffer.len(),
        });
        Ok(true)
    }
}

impl<'t, R: BufRead> Source<'t> for ReaderSource<R> {
    fn next_chunk(&mut self) -> io::Result<(Chunk<'t>, u64)> {
        let mut chunk = Chunk::default();
        while chunk.lines.len() < CHUNK_LINES
            && chunk.buffer.len() < CHUNK_BYTES
            && self.read_line(&mut chunk)?
        {}
        Ok((chunk, self.read))
    }
}

fn stopped() -> io::Error {
    io::Error::other("a journal verification worker stopped")
}

/// Runs the verifier over `source` with `threads` workers (1: none, all on this thread).
fn run<'t, S, E, P>(
    mut source: S,
    verifier: &mut JournalVerifier<'_>,
    threads: usize,
    mut progress: P,
) -> Result<(), E>
where
    S: Source<'t>,
    E: From<io::Error>,
    P: FnMut(u64) -> Result<(), E>,
{
    // Until the device key is settled (the certificate line, normally the first), lines
    // are prepared one at a time, each with the verifier's latest key: each line once, so
    // lines that are not documents before any certificate (garbage, a failed export) cost
    // what they cost the sequential verifier.
    let mut first = loop {
        let (chunk, read) = source.next_chunk()?;
        if chunk.lines.is_empty() {
            return Ok(());
        }
        progress(read)?;
        let mut done = 0;
        while done < chunk.lines.len() && !verifier.key_is_settled() {
            if let Some(line) = chunk.prepare_at(done, &verifier.preparer()) {
                verifier.add_prepared(line);
            }
            done += 1;
        }
        if done < chunk.lines.len() {
            break (chunk, done);
        }
    };
    let preparer = verifier.preparer();
    if threads <= 1 {
        loop {
            for line in first.0.prepare(first.1, &preparer) {
                verifier.add_prepared(line);
            }
            let (chunk, read) = source.next_chunk()?;
            if chunk.lines.is_empty() {
                return Ok(());
            }
            progress(read)?;
            first = (chunk, 0);
        }
    }
    let stop = AtomicBool::new(false);
    let (jobs, queue) = mpsc::sync_channel::<(u64, Chunk<'t>, usize)>(threads);
    let queue = Mutex::new(queue);
    let (results, prepared) = mpsc::channel::<(u64, Vec<PreparedLine<'_>>)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let results = results.clone();
            let (queue, stop) = (&queue, &stop);
            scope.spawn(move || loop {
                // The lock is held only while taking a job, never while preparing it.
                let job = match queue.lock() {
                    Ok(q) => q.recv(),
                    Err(_) => return,
                };
                let Ok((seq, chunk, from)) = job else { return };
                let lines = if stop.load(Ordering::Relaxed) {
                    Vec::new()
                } else {
                    chunk.prepare(from, &preparer)
                };
                if results.send((seq, lines)).is_err() {
                    return;
                }
            });
        }
        drop(results);
        let outcome = feed(
            &mut source,
            verifier,
            first,
            &jobs,
            &prepared,
            threads,
            &mut progress,
        );
        if outcome.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        // Closing the queue lets the workers finish; the scope waits for them.
        drop(jobs);
        outcome
    })
}

/// The calling thread's part: reads chunks ahead, hands them out, and feeds the prepared
/// lines back in order.
fn feed<'t, 'r, S, E, P>(
    source: &mut S,
    verifier: &mut JournalVerifier<'_>,
    first: (Chunk<'t>, usize),
    jobs: &mpsc::SyncSender<(u64, Chunk<'t>, usize)>,
    prepared: &mpsc::Receiver<(u64, Vec<PreparedLine<'r>>)>,
    threads: usize,
    progress: &mut P,
) -> Result<(), E>
where
    S: Source<'t>,
    E: From<io::Error>,
    P: FnMut(u64) -> Result<(), E>,
{
    // Enough chunks ahead to keep every worker busy while this thread feeds one: one each and
    // one more. A prepared chunk of 512 documents holds about 1.5 MB of decoded bodies, so
    // more would cost memory without speed.
    let ahead = threads + 1;
    let mut next_job = Some(first);
    let (mut sent, mut fed) = (0u64, 0u64);
    let mut waiting: BTreeMap<u64, Vec<PreparedLine<'r>>> = BTreeMap::new();
    loop {
        while sent - fed < ahead as u64 {
            let Some((chunk, from)) = next_job.take() else {
                break;
            };
            jobs.send((sent, chunk, from)).map_err(|_| stopped())?;
            sent += 1;
            let (chunk, read) = source.next_chunk()?;
            if !chunk.lines.is_empty() {
                progress(read)?;
                next_job = Some((chunk, 0));
            }
        }
        if fed == sent {
            return Ok(());
        }
        let (seq, lines) = prepared.recv().map_err(|_| stopped())?;
        waiting.insert(seq, lines);
        while let Some(lines) = waiting.remove(&fed) {
            for line in lines {
                verifier.add_prepared(line);
            }
            fed += 1;
        }
    }
}

/// Runs `verifier` over the journal read from `reader` on `threads` workers (see
/// [`super::JournalVerification::verify_reader`]).
pub(super) fn verify_reader<R, E, P>(
    reader: R,
    mut verifier: JournalVerifier<'_>,
    threads: usize,
    progress: P,
) -> Result<JournalReport, E>
where
    R: BufRead,
    E: From<io::Error>,
    P: FnMut(u64) -> Result<(), E>,
{
    run(
        ReaderSource { reader, read: 0 },
        &mut verifier,
        threads,
        progress,
    )?;
    Ok(verifier.finish())
}

/// The first pass of a low-memory verification: the receipts `reader`'s journal refers
/// to. Lines that are not UTF-8 or not documents add nothing (the second pass reports
/// them).
pub fn referenced_receipts<R: BufRead>(mut reader: R) -> io::Result<ReferencedReceipts> {
    let mut set = ReferencedReceipts::default();
    let mut line = Vec::new();
    let limit = MAX_JOURNAL_LINE as u64 + 2; // the line, then a CR and the LF
    loop {
        line.clear();
        if (&mut reader).take(limit).read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if !line.ends_with(b"\n") && line.len() as u64 == limit {
            // Longer than a journal line may be: skipped unread, as the second pass does.
            loop {
                let buf = reader.fill_buf()?;
                if buf.is_empty() {
                    break;
                }
                match buf.iter().position(|&b| b == b'\n') {
                    Some(i) => {
                        reader.consume(i + 1);
                        break;
                    }
                    None => {
                        let n = buf.len();
                        reader.consume(n);
                    }
                }
            }
            continue;
        }
        if let Ok(text) = core::str::from_utf8(&line) {
            // Without its LF, as the second pass reads it (`add_line` drops one CR).
            set.add_line(text.strip_suffix('\n').unwrap_or(text));
        }
    }
    Ok(set.done())
}

/// Runs `verifier` over `lines` on `threads` workers; an error only if a worker stopped.
pub(super) fn verify_lines<'t>(
    lines: impl Iterator<Item = &'t str>,
    mut verifier: JournalVerifier<'_>,
    threads: usize,
) -> io::Result<JournalReport> {
    let source = TextSource { lines, read: 0 };
    run(source, &mut verifier, threads, |_| Ok::<(), io::Error>(()))?;
    Ok(verifier.finish())
}
