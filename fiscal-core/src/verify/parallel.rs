//! The journal verifier on several threads (feature `std`). The calling thread reads the input
//! in chunks and feeds the prepared lines to one [`JournalVerifier`] in journal order; the
//! threads first settle the signatures of a whole chunk in one batch (from the lines'
//! signature items alone: [`LinePreparer::settle`]), then read its lines in full in parts of
//! [`PART_LINES`], which any thread takes, earliest first, so that the calling thread can feed
//! a chunk while it is still being read and every core stays busy to the end. The workers
//! settle chunks first; the calling thread, whenever it has nothing to feed, reads parts, and
//! settles a chunk only while the one it feeds is not settled ([`Work::caller_task`]). At
//! most a few chunks are in flight, so memory does not depend on the journal's length.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{self, BufRead, Read};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use super::line::{Check, PreparedDocument, BATCH_LINES};
use super::{JournalReport, JournalVerifier, LinePreparer, PreparedLine, ReferencedReceipts};
use crate::document::MAX_JOURNAL_LINE;

/// Lines of a text whose signatures one thread settles in one batch (a chunk): as many as
/// the one-thread verifier's batches ([`BATCH_LINES`]). The batch check costs a signature
/// less the larger the batch (`crypto::verify_batch`: about 4.1 µs at 2 048, 4.4 at 1 024),
/// but the calling thread feeds a chunk only once its signatures are settled, and a journal
/// must make a chunk for each thread: both cores are busy from about 4 000 documents on.
/// Chunks of 1 024 gave two threads 1.73-1.78 × one on 10,041 documents, 2 048 (with the
/// calling thread settling no chunk ahead, [`Work::caller_task`]) 1.90-1.94 × (`fiscal-bench
/// paired 10`). A text's lines are borrowed, not held: its chunks end at this count alone.
const TEXT_CHUNK_LINES: usize = BATCH_LINES;
/// Lines of a chunk read from a file (at most; [`CHUNK_BYTES`] may end it first): the lines
/// are held in the chunk's buffer, and larger chunks (about 1 250 lines, to the byte limit)
/// took 1.8 MB more at 1 M documents on two threads for no speed reading a file (1.95 × one
/// with these).
const FILE_CHUNK_LINES: usize = 1024;
/// A chunk read from a file also ends once its lines hold this many bytes (journal lines are
/// about 0.8 KB): what bounds the memory of the chunks in flight (a chunk takes at least one
/// line). Peak memory of `verify_reader` on two threads, 100 000 documents (`/usr/bin/time
/// -v`): about 24.5 MiB, where chunks of 512 decoded documents took 28.7–29.2.
const CHUNK_BYTES: usize = 1 << 20;
/// Parts read ahead of the one the calling thread feeds next: the decoded documents waiting
/// for it are at most these parts' (256 documents, about 0.8 MB). Measured on two threads
/// (100,401 documents): 8 parts gave no speed and 0.5 MB more; with 4 the threads wait under
/// 10 ms a run.
const READ_AHEAD: usize = 4;
/// Room left in a chunk's buffer for the line that crosses its byte limit: longer lines than
/// this (rare: a receipt of about a hundred items) make the buffer grow.
const LINE_ROOM: usize = 8 << 10;
/// Lines of a settled chunk read in full together (a part): small, so that both workers share
/// the reading of every chunk and the calling thread feeds the first parts while the last
/// are read.
const PART_LINES: usize = 64;

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
    /// The bytes of the lines read from a reader.
    buffer: Vec<u8>,
    /// The lines, in journal order.
    lines: Vec<Line<'t>>,
}

impl Chunk<'_> {
    /// The verdicts of the signatures of lines `from..`, settled in one batch (one per line,
    /// `None` for a line without a signature item).
    fn verdicts(&self, from: usize, preparer: &LinePreparer<'_>) -> Vec<Option<bool>> {
        let lines = self.lines.get(from..).unwrap_or_default();
        preparer.settle(lines.iter().map(|line| match *line {
            Line::Text(text) => Some(text.as_bytes()),
            Line::Bytes { start, end } => Some(self.buffer.get(start..end).unwrap_or_default()),
            Line::TooLong { .. } => None,
        }))
    }

    /// Prepares line `at` alone; `None` past the end.
    fn prepare_at<'r>(&self, at: usize, preparer: &LinePreparer<'r>) -> Option<PreparedLine<'r>> {
        self.lines
            .get(at)
            .map(|line| self.prepare_one(line, preparer, Check::Now))
    }

    /// Prepares `line`, one of this chunk's, its signature checked as `check` says.
    fn prepare_one<'r>(
        &self,
        line: &Line<'_>,
        preparer: &LinePreparer<'r>,
        check: Check,
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

/// A chunk whose signatures are settled: its lines `from..` with their verdicts.
struct Settled<'t> {
    /// The lines.
    chunk: Chunk<'t>,
    /// The first line to prepare (the ones before were read before the key was known).
    from: usize,
    /// The verdict of line `from + i`'s signature at `i` (`None`: no signature item).
    verdicts: Vec<Option<bool>>,
}

impl Settled<'_> {
    /// How many parts its lines make (at least one, so that every chunk is fed).
    fn parts(&self) -> usize {
        parts(self.chunk.lines.len().saturating_sub(self.from))
    }

    /// Reads part `part` of its lines in full, with their verdicts.
    fn prepare<'r>(&self, part: usize, preparer: &LinePreparer<'r>) -> Vec<PreparedLine<'r>> {
        let start = part.saturating_mul(PART_LINES);
        let end = start.saturating_add(PART_LINES).min(self.verdicts.len());
        let lines = self.chunk.lines.get(self.from..).unwrap_or_default();
        (start..end)
            .filter_map(|i| {
                let verdict = self.verdicts.get(i).copied().flatten();
                lines.get(i).map(|line| {
                    self.chunk
                        .prepare_one(line, preparer, Check::Known(verdict))
                })
            })
            .collect()
    }
}

/// The parts `lines` lines make (at least one).
fn parts(lines: usize) -> usize {
    lines.div_ceil(PART_LINES).max(1)
}

/// Where lines come from.
trait Source<'t> {
    /// The lines of a chunk handed to the threads (see [`TEXT_CHUNK_LINES`]).
    const CHUNK_LINES: usize;

    /// Fills `chunk` (emptied first, its buffers kept) with the next lines, at most `lines`
    /// of them (and, read from a file, about [`CHUNK_BYTES`]): none at the end. Returns the
    /// bytes read so far.
    fn fill(&mut self, chunk: &mut Chunk<'t>, lines: usize) -> io::Result<u64>;

    /// A new chunk of the next lines (see [`Source::fill`]), and the bytes read so far.
    fn next_chunk(&mut self, lines: usize) -> io::Result<(Chunk<'t>, u64)> {
        let mut chunk = Chunk::default();
        let read = self.fill(&mut chunk, lines)?;
        Ok((chunk, read))
    }
}

struct TextSource<'t, I: Iterator<Item = &'t str>> {
    lines: I,
    read: u64,
}

impl<'t, I: Iterator<Item = &'t str>> Source<'t> for TextSource<'t, I> {
    const CHUNK_LINES: usize = TEXT_CHUNK_LINES;

    fn fill(&mut self, chunk: &mut Chunk<'t>, lines: usize) -> io::Result<u64> {
        chunk.lines.clear();
        chunk.lines.reserve(lines);
        let mut bytes = 0;
        while chunk.lines.len() < lines {
            let Some(line) = self.lines.next() else { break };
            bytes += line.len() + 1;
            chunk.lines.push(Line::Text(line));
        }
        self.read += bytes as u64;
        Ok(self.read)
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
    const CHUNK_LINES: usize = FILE_CHUNK_LINES;

    fn fill(&mut self, chunk: &mut Chunk<'t>, lines: usize) -> io::Result<u64> {
        chunk.lines.clear();
        chunk.lines.reserve(lines);
        chunk.buffer.clear();
        let max_bytes = CHUNK_BYTES;
        // Sized once, with room for the line that crosses the limit: growing by doubling
        // would hold the old buffer and the new one at once.
        chunk.buffer.reserve(max_bytes + LINE_ROOM);
        while chunk.lines.len() < lines
            && chunk.buffer.len() < max_bytes
            && self.read_line(chunk)?
        {}
        Ok(self.read)
    }
}

/// The error of a run whose workers stopped (a worker panicked: never expected).
fn stopped() -> io::Error {
    io::Error::other("a journal verification worker stopped")
}

/// The threads' shared queue: work to do, and parts read waiting to be fed.
struct Work<'t, 'r> {
    /// Chunks whose signatures are still to settle, in journal order, with their number and
    /// the first line to prepare.
    chunks: VecDeque<(u64, Chunk<'t>, usize)>,
    /// The numbers of the chunks sent whose signatures are not settled yet (waiting in
    /// `chunks`, or being settled).
    unsettled: BTreeSet<u64>,
    /// Parts of settled chunks still to read, by chunk and part number: taken earliest first,
    /// since the calling thread feeds them in that order.
    parts: BTreeMap<(u64, usize), Arc<Settled<'t>>>,
    /// The first part (chunk, part) not to read yet: [`READ_AHEAD`] parts after the one the
    /// calling thread feeds next, so that few decoded documents wait (about 3 KB each) and
    /// the parts it waits for come first.
    limit: (u64, usize),
    /// Parts read, by chunk and part number, until the calling thread feeds them, with the
    /// thread that read them (0: the calling thread, 1.. the workers).
    read: BTreeMap<(u64, usize), (usize, Vec<PreparedLine<'r>>)>,
    /// The documents fed, for the thread that decoded them to free, by thread: glibc frees
    /// memory from another thread's arena under that arena's lock, which the thread itself
    /// takes for each allocation, and the two threads contending for it cost a tenth of the
    /// run (20 000 futex calls for 100 000 documents). Boxed as decoded: the boxes are the
    /// allocations to give back.
    #[allow(clippy::vec_box)]
    spent: Vec<Vec<Box<PreparedDocument>>>,
    /// Threads waiting for a change: a notification is a system call, made only for them.
    sleepers: usize,
    /// Chunks read and fed, kept for the next lines: their buffers are reused instead of
    /// allocated anew (a megabyte each, which the allocator would not always give back).
    spare: Vec<Chunk<'t>>,
    /// Set when the run ends (done, or stopped): the workers return.
    closed: bool,
}

impl<'t> Work<'t, '_> {
    /// A worker's next task, if there is one now: settling the earliest chunk first, then
    /// reading a part within the window. Settling chunks as soon as they come leaves the
    /// calling thread to read and feed: were a chunk left waiting while a worker reads, the
    /// calling thread would have to settle it, and feed nothing meanwhile.
    fn worker_task(&mut self) -> Option<Task<'t>> {
        self.settle(u64::MAX).or_else(|| self.read())
    }

    /// The calling thread's next task, if there is one now, when the part it feeds next is
    /// not read yet: reading a part within the window first, then settling a chunk only
    /// while the chunk it feeds (`fed`) is not settled: that one, or the next. Once `fed` is
    /// settled, settling another chunk would hold up the feeding for as long as reading about
    /// a chunk's lines, and meanwhile the window does not move and the workers, every part
    /// in it read, wait: 7-9 ms of a 50 ms run on 10,041 documents, the calling thread
    /// settling chunk 2 (or the last chunk) before it had fed the chunk before.
    fn caller_task(&mut self, fed: u64) -> Option<Task<'t>> {
        self.read().or_else(|| {
            if self.unsettled.contains(&fed) {
                self.settle(fed.saturating_add(1))
            } else {
                None
            }
        })
    }

    /// Reading the earliest part not read, if it is within the window.
    fn read(&mut self) -> Option<Task<'t>> {
        let (&key, _) = self.parts.first_key_value()?;
        if key >= self.limit {
            return None;
        }
        let ((chunk, part), settled) = self.parts.pop_first()?;
        Some(Task::Read(chunk, part, settled))
    }

    /// Settling the earliest chunk not settled, if its number is at most `up_to`.
    fn settle(&mut self, up_to: u64) -> Option<Task<'t>> {
        if self.chunks.front()?.0 > up_to {
            return None;
        }
        let (n, chunk, from) = self.chunks.pop_front()?;
        Some(Task::Settle(n, chunk, from))
    }
}

/// What a thread does next.
enum Task<'t> {
    /// Settle the signatures of chunk number `.0`, lines `.2..` of `.1`.
    Settle(u64, Chunk<'t>, usize),
    /// Read part `.1` of settled chunk number `.0`.
    Read(u64, usize, Arc<Settled<'t>>),
}

/// The queue and the signal that something changed in it (work added, a part read, room
/// made in the window).
struct Queue<'t, 'r> {
    work: Mutex<Work<'t, 'r>>,
    changed: Condvar,
}

impl<'t, 'r> Queue<'t, 'r> {
    /// The queue, locked; `None` if a thread panicked holding it (never expected: then the
    /// run stops).
    fn lock(&self) -> Option<MutexGuard<'_, Work<'t, 'r>>> {
        self.work.lock().ok()
    }

    /// Unlocks `work` after a change, waking the threads waiting for one.
    fn changed(&self, work: MutexGuard<'_, Work<'t, 'r>>) {
        let sleepers = work.sleepers > 0;
        drop(work);
        if sleepers {
            self.changed.notify_all();
        }
    }

    /// Waits for a change to `work`.
    fn wait<'q>(
        &'q self,
        mut work: MutexGuard<'q, Work<'t, 'r>>,
    ) -> Option<MutexGuard<'q, Work<'t, 'r>>> {
        work.sleepers += 1;
        let mut work = self.changed.wait(work).ok()?;
        work.sleepers -= 1;
        Some(work)
    }

    /// Ends the run: the workers return once they finish what they hold.
    fn close(&self) {
        if let Some(mut work) = self.lock() {
            work.closed = true;
            work.chunks.clear();
            work.parts.clear();
            work.read.clear();
            work.spent.clear();
        }
        self.changed.notify_all();
    }

    /// Worker `me`'s next task, waiting for one (and freeing the documents it decoded that
    /// were fed meanwhile); `None` once the run is closed.
    fn next(&self, me: usize) -> Option<Task<'t>> {
        let mut work = self.lock()?;
        loop {
            if work.closed {
                return None;
            }
            let spent = work.spent.get_mut(me).map(core::mem::take);
            if let Some(spent) = spent.filter(|spent| !spent.is_empty()) {
                drop(work);
                drop(spent);
                work = self.lock()?;
                continue;
            }
            if let Some(task) = work.worker_task() {
                return Some(task);
            }
            work = self.wait(work)?;
        }
    }

    /// Does `task` on thread `me` (0: the calling thread) and puts what it gives in the
    /// queue; `None` if the run stopped.
    fn perform(&self, task: Task<'t>, preparer: &LinePreparer<'r>, me: usize) -> Option<()> {
        match task {
            Task::Settle(n, chunk, from) => {
                let verdicts = chunk.verdicts(from, preparer);
                let settled = Arc::new(Settled {
                    chunk,
                    from,
                    verdicts,
                });
                let mut work = self.lock()?;
                work.unsettled.remove(&n);
                for part in 0..settled.parts() {
                    work.parts.insert((n, part), Arc::clone(&settled));
                }
                self.changed(work);
            }
            Task::Read(n, part, settled) => {
                let lines = settled.prepare(part, preparer);
                let mut work = self.lock()?;
                // The last part read hands its chunk back for the next lines.
                if let Ok(done) = Arc::try_unwrap(settled) {
                    work.spare.push(done.chunk);
                }
                if !work.closed {
                    work.read.insert((n, part), (me, lines));
                }
                self.changed(work);
            }
        }
        Some(())
    }
}

/// The first part not to read yet (see [`Work::limit`]): [`READ_AHEAD`] parts after part
/// `part` of chunk `chunk`, `parts` holding the part counts of the chunks from `chunk` on. Past
/// the chunks known, as if the next had parts enough (it is worked out again when one comes).
fn window_end(parts: &VecDeque<usize>, chunk: u64, part: usize) -> (u64, usize) {
    let mut at = (chunk, part.saturating_add(READ_AHEAD));
    for &count in parts {
        if at.1 < count {
            return at;
        }
        at = (at.0 + 1, at.1 - count);
    }
    at
}

/// Runs the verifier over `source` on `threads` threads (1: all on this thread).
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
    let lines = if threads <= 1 {
        BATCH_LINES
    } else {
        S::CHUNK_LINES
    };
    // Until the device key is settled (the certificate line, normally the first), lines
    // are prepared one at a time, each with the verifier's latest key: each line once, so
    // lines that are not documents before any certificate (garbage, a failed export) cost
    // what they cost the sequential verifier.
    let first = loop {
        let (chunk, read) = source.next_chunk(lines)?;
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
        // The signatures of a chunk settled together, then its lines read and fed one at a
        // time: only the chunk's text and verdicts wait, not its decoded documents. One
        // chunk's buffers serve the whole journal.
        let (mut chunk, mut from) = first;
        loop {
            let verdicts = chunk.verdicts(from, &preparer);
            let lines = chunk.lines.get(from..).unwrap_or_default();
            for (line, verdict) in lines.iter().zip(verdicts) {
                verifier.add_prepared(chunk.prepare_one(line, &preparer, Check::Known(verdict)));
            }
            let read = source.fill(&mut chunk, BATCH_LINES)?;
            if chunk.lines.is_empty() {
                return Ok(());
            }
            progress(read)?;
            from = 0;
        }
    }
    let queue = Queue {
        work: Mutex::new(Work {
            chunks: VecDeque::new(),
            unsettled: BTreeSet::new(),
            parts: BTreeMap::new(),
            limit: (0, 0),
            read: BTreeMap::new(),
            spent: (0..threads).map(|_| Vec::new()).collect(),
            sleepers: 0,
            spare: Vec::new(),
            closed: false,
        }),
        changed: Condvar::new(),
    };
    std::thread::scope(|scope| {
        // The calling thread is one of the `threads`: it works too when it has nothing to
        // feed, so that no more threads than cores compete (a third thread on two cores
        // cost a tenth of the run in switches and waits).
        for me in 1..threads {
            let queue = &queue;
            scope.spawn(move || {
                while let Some(task) = queue.next(me) {
                    if queue.perform(task, &preparer, me).is_none() {
                        return;
                    }
                }
            });
        }
        let outcome = feed(
            &mut source,
            verifier,
            first,
            &queue,
            &preparer,
            threads,
            &mut progress,
        );
        // Closing the queue lets the workers finish; the scope waits for them.
        queue.close();
        outcome
    })
}

/// What the calling thread does next.
enum Next<'t, 'r> {
    /// Feed these lines, the next part in journal order, read by thread `.0`.
    Feed(usize, Vec<PreparedLine<'r>>),
    /// Work on this task.
    Work(Task<'t>),
}

/// The calling thread's part: reads chunks ahead, hands them out, feeds the parts read back
/// in order, and works on the queue's tasks while the next part is not read yet.
fn feed<'t, 'r, S, E, P>(
    source: &mut S,
    verifier: &mut JournalVerifier<'_>,
    first: (Chunk<'t>, usize),
    queue: &Queue<'t, 'r>,
    preparer: &LinePreparer<'r>,
    threads: usize,
    progress: &mut P,
) -> Result<(), E>
where
    S: Source<'t>,
    E: From<io::Error>,
    P: FnMut(u64) -> Result<(), E>,
{
    // Enough chunks ahead to keep every thread busy while the chunk being fed is read: one
    // each and one more. Only their text waits (about 0.8 MB a chunk); their decoded
    // documents are made a part at a time.
    let ahead = threads + 1;
    let mut next_chunk = Some(first);
    // The first chunk is settled by this thread, once the next are handed out: the chunk it
    // feeds first is then the first settled, wherever the workers start (a worker starting
    // late on it left this thread waiting 0.4-1.5 ms of a 45 ms run, 10,041 documents).
    let mut own = None;
    // The parts of each chunk sent and not yet fed, the first being chunk `fed`.
    let mut parts: VecDeque<usize> = VecDeque::new();
    let (mut sent, mut fed, mut fed_part) = (0u64, 0u64, 0usize);
    let mut more = true;
    loop {
        // A chunk is read only when it can be handed out at once: no chunk waits here.
        while more && sent - fed < ahead as u64 {
            let (chunk, from) = match next_chunk.take() {
                Some(first) => first,
                None => {
                    let spare = queue.lock().ok_or_else(stopped)?.spare.pop();
                    let mut chunk = spare.unwrap_or_default();
                    let read = source.fill(&mut chunk, S::CHUNK_LINES)?;
                    if chunk.lines.is_empty() {
                        more = false;
                        break;
                    }
                    progress(read)?;
                    (chunk, 0)
                }
            };
            parts.push_back(self::parts(chunk.lines.len().saturating_sub(from)));
            let mut work = queue.lock().ok_or_else(stopped)?;
            if sent == 0 {
                own = Some(Task::Settle(sent, chunk, from));
            } else {
                work.chunks.push_back((sent, chunk, from));
            }
            work.unsettled.insert(sent);
            work.limit = window_end(&parts, fed, fed_part);
            queue.changed(work);
            sent += 1;
        }
        if let Some(task) = own.take() {
            queue.perform(task, preparer, 0).ok_or_else(stopped)?;
        }
        if fed == sent {
            return Ok(());
        }
        let next = {
            let mut work = queue.lock().ok_or_else(stopped)?;
            loop {
                if let Some((reader, lines)) = work.read.remove(&(fed, fed_part)) {
                    break Next::Feed(reader, lines);
                }
                if let Some(task) = work.caller_task(fed) {
                    break Next::Work(task);
                }
                work = queue.wait(work).ok_or_else(stopped)?;
            }
        };
        match next {
            Next::Work(task) => queue.perform(task, preparer, 0).ok_or_else(stopped)?,
            Next::Feed(reader, lines) => {
                let mut spent = Vec::with_capacity(if reader == 0 { 0 } else { lines.len() });
                for line in lines {
                    let doc = verifier.add_prepared_spent(line);
                    if reader != 0 {
                        spent.extend(doc);
                    }
                }
                fed_part += 1;
                if parts.front().is_none_or(|&p| fed_part >= p) {
                    parts.pop_front();
                    fed += 1;
                    fed_part = 0;
                }
                let mut work = queue.lock().ok_or_else(stopped)?;
                work.limit = window_end(&parts, fed, fed_part);
                if let Some(slot) = work.spent.get_mut(reader).filter(|_| reader != 0) {
                    slot.append(&mut spent);
                }
                // A worker may wait for the room this part made (or to free its documents).
                queue.changed(work);
            }
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
