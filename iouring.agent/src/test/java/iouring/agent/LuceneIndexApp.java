package iouring.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.util.StringHelper;

/**
 * An application of Apache Lucene, run by {@link ThirdPartyLibraryIT} in a child JVM: it indexes a
 * fixed set of documents in an {@link NIOFSDirectory} (reads through {@code FileChannel}, writes
 * through {@code Files.newOutputStream}, fsync through {@code FileChannel.force}, the write lock
 * through {@code FileChannel.tryLock}, listing, deletes and renames through {@code Files}), commits
 * three batches (flushes and merges on the way), deletes, force-merges while a reader of the
 * earlier commit stays open on files the merge deletes, updates, reopens and searches after each
 * step, checks the index, and prints a canonical transcript: hits, doc ids, scores, stored fields,
 * the files of each commit, and every final file's name, size and CRC-32.
 *
 * <p>The transcript holds nothing that may differ between two correct runs: no paths and no times.
 * Lucene stamps each segment's {@code .si} file with the time it was written (the {@code timestamp}
 * diagnostic) and ends every file with a CRC-32 of what precedes it, so the checksum of a {@code
 * .si} file is taken with the timestamp's digits as zeros and without the stored checksum. Segment
 * ids are random; the JVM is started with {@code -Dtests.seed}, which Lucene seeds them from.
 */
public final class LuceneIndexApp {
  private static final String[] WORDS = {
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"
  };

  private final List<String> out = new ArrayList<>();
  private long seed = 42;

  private LuceneIndexApp() {}

  /**
   * Builds, changes and searches the index in the directory given, then prints the transcript.
   *
   * @param args the index directory
   * @throws IOException if Lucene's I/O fails
   */
  public static void main(String[] args) throws IOException {
    LuceneIndexApp app = new LuceneIndexApp();
    app.run(Path.of(args[0]));
    for (String line : app.out) {
      System.out.println(line);
    }
  }

  private int next(int bound) {
    seed = seed * 6364136223846793005L + 1442695040888963407L;
    return (int) ((seed >>> 33) % bound);
  }

  private Document document(int id) {
    StringBuilder body = new StringBuilder();
    int words = 5 + next(20);
    for (int i = 0; i < words; i++) {
      body.append(i == 0 ? "" : " ").append(WORDS[next(WORDS.length)]);
    }
    int number = next(1000);
    Document doc = new Document();
    doc.add(new StringField("id", "doc" + id, Field.Store.YES));
    doc.add(
        new TextField("title", "title " + WORDS[id % WORDS.length] + " " + id, Field.Store.YES));
    doc.add(new TextField("body", body.toString(), Field.Store.NO));
    doc.add(new IntPoint("number", number));
    doc.add(new StoredField("number", number));
    doc.add(new NumericDocValuesField("number", number));
    return doc;
  }

  private IndexWriterConfig config() {
    IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer());
    config.setMergeScheduler(new SerialMergeScheduler()); // merges on the indexing thread: in order
    config.setMaxBufferedDocs(50); // several segments per batch
    LogDocMergePolicy merges = new LogDocMergePolicy(); // merges by document count: in order too
    merges.setMergeFactor(4);
    config.setMergePolicy(merges);
    config.setCommitOnClose(true);
    return config;
  }

  private void run(Path path) throws IOException {
    try (Directory dir = new NIOFSDirectory(path)) {
      DirectoryReader reader;
      try (IndexWriter writer = new IndexWriter(dir, config())) {
        secondWriter(dir);
        for (int batch = 0; batch < 3; batch++) {
          for (int i = 0; i < 120; i++) {
            writer.addDocument(document(batch * 120 + i));
          }
          writer.commit();
          commit(writer, dir, "batch " + batch);
        }
        reader = DirectoryReader.open(dir);
        search(reader, "after indexing");
        for (int id = 0; id < 360; id += 7) {
          writer.deleteDocuments(new Term("id", "doc" + id));
        }
        writer.commit();
        commit(writer, dir, "deletes");
        reader = reopen(reader);
        search(reader, "after deletes");
        writer.forceMerge(1);
        writer.commit();
        commit(writer, dir, "merged");
        // The merge's commit deleted the files of the segments this reader still has open.
        DirectoryReader before = reader;
        reader = DirectoryReader.openIfChanged(before);
        search(reader, "after merge");
        search(before, "the reader of before the merge");
        before.close();
        for (int id = 3; id < 360; id += 11) {
          writer.updateDocument(new Term("id", "doc" + id), document(1000 + id));
        }
        writer.commit();
        commit(writer, dir, "updates");
      }
      reader = reopen(reader);
      search(reader, "after updates");
      reader.close();
      files(dir);
      check(dir);
    }
  }

  /** A second writer on the same directory finds its write lock taken. */
  private void secondWriter(Directory dir) throws IOException {
    try (IndexWriter second = new IndexWriter(dir, config())) {
      out.add("second writer opened " + second.getDocStats().maxDoc);
    } catch (LockObtainFailedException e) {
      out.add("second writer: " + e.getClass().getSimpleName());
    }
  }

  private static DirectoryReader reopen(DirectoryReader reader) throws IOException {
    DirectoryReader newer = DirectoryReader.openIfChanged(reader);
    if (newer == null) {
      return reader;
    }
    reader.close();
    return newer;
  }

  private void commit(IndexWriter writer, Directory dir, String what) throws IOException {
    IndexWriter.DocStats stats = writer.getDocStats();
    out.add("commit " + what + ": numDocs " + stats.numDocs + " maxDoc " + stats.maxDoc);
    out.add("  files " + String.join(" ", dir.listAll()));
  }

  private void search(DirectoryReader reader, String when) throws IOException {
    out.add(
        when
            + ": segments "
            + reader.leaves().size()
            + " numDocs "
            + reader.numDocs()
            + " maxDoc "
            + reader.maxDoc());
    IndexSearcher searcher = new IndexSearcher(reader);
    Query alpha =
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term("body", "alpha")), BooleanClause.Occur.MUST)
            .add(new TermQuery(new Term("body", "tango")), BooleanClause.Occur.SHOULD)
            .build();
    hits(searcher, "alpha +tango", searcher.search(alpha, 10));
    Query range = IntPoint.newRangeQuery("number", 100, 199);
    hits(
        searcher,
        "number 100..199 by number",
        searcher.search(range, 10, new Sort(new SortField("number", SortField.Type.INT))));
    out.add("count title:kilo " + searcher.count(new TermQuery(new Term("title", "kilo"))));
  }

  private void hits(IndexSearcher searcher, String name, TopDocs top) throws IOException {
    out.add("query " + name + ": " + top.totalHits);
    StoredFields stored = searcher.storedFields();
    for (ScoreDoc hit : top.scoreDocs) {
      Document doc = stored.document(hit.doc);
      out.add(
          "  doc "
              + hit.doc
              + " score "
              + (Float.isNaN(hit.score)
                  ? "-"
                  : Integer.toHexString(Float.floatToIntBits(hit.score)))
              + " id "
              + doc.get("id")
              + " title '"
              + doc.get("title")
              + "' number "
              + doc.getField("number").numericValue());
    }
  }

  /**
   * Every index file: name, size, and the CRC-32 of its bytes as read through the directory. A
   * segment's {@code .si} file differs between runs (see the class comment): in its place come its
   * size and its contents as Lucene reads them, in a fixed order.
   */
  private void files(Directory dir) throws IOException {
    for (String name : dir.listAll()) {
      if (name.endsWith(".si")) {
        out.add("file " + name + " " + dir.fileLength(name));
        continue;
      }
      CRC32 crc = new CRC32();
      try (IndexInput in = dir.openInput(name, IOContext.READONCE)) {
        byte[] bytes = new byte[(int) in.length()];
        in.readBytes(bytes, 0, bytes.length);
        crc.update(bytes);
      }
      out.add(
          "file "
              + name
              + " "
              + dir.fileLength(name)
              + " crc32 "
              + Long.toHexString(crc.getValue()));
    }
    for (SegmentCommitInfo commit : SegmentInfos.readLatestCommit(dir)) {
      SegmentInfo info = commit.info;
      Map<String, String> diagnostics = new TreeMap<>(info.getDiagnostics());
      diagnostics.remove("timestamp");
      out.add(
          "segment "
              + info.name
              + " id "
              + StringHelper.idToString(info.getId())
              + " maxDoc "
              + info.maxDoc()
              + " deletes "
              + commit.getDelCount()
              + " compound "
              + info.getUseCompoundFile()
              + " codec "
              + info.getCodec().getName());
      out.add("  files " + new TreeSet<>(info.files()));
      out.add("  diagnostics " + diagnostics);
      out.add("  attributes " + new TreeMap<>(info.getAttributes()));
    }
  }

  private void check(Directory dir) throws IOException {
    try (CheckIndex checker = new CheckIndex(dir)) {
      CheckIndex.Status status = checker.checkIndex();
      out.add(
          "checkIndex clean "
              + status.clean
              + " segments "
              + status.numSegments
              + " docs "
              + status.segmentInfos.stream().mapToInt(s -> s.maxDoc).sum());
    }
  }
}
