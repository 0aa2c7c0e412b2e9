package io.recap.orchestrator.catalog;

import io.recap.core.domain.CaptionStyle;
import io.recap.orchestrator.db.Db;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Corpora, images, captions (with their captioner version) and snapshots. Inserts are
 * {@code INSERT ... ON CONFLICT DO NOTHING} (PostgreSQL, and H2 in PostgreSQL mode), so replayed
 * messages change nothing and concurrent consumers cannot collide.
 */
public class CatalogRepository {

    private final JdbcClient jdbc;

    public CatalogRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean insertCorpus(String corpusId, Instant now) {
        return jdbc.sql("INSERT INTO corpora (corpus_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .params(corpusId, Db.ts(now)).update() == 1;
    }

    public boolean corpusExists(String corpusId) {
        return jdbc.sql("SELECT COUNT(*) FROM corpora WHERE corpus_id = ?").param(corpusId)
                .query(Long.class).single() > 0;
    }

    /** Records an ingest batch; false if it was seen before. */
    public boolean insertBatch(String corpusId, String batchId, int items, Instant now) {
        return jdbc.sql("INSERT INTO ingest_batches (corpus_id, batch_id, item_count, received_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")
                .params(corpusId, batchId, items, Db.ts(now)).update() == 1;
    }

    public boolean insertImage(String corpusId, String imageId, String uri, String altText, String batchId,
            Instant now) {
        return jdbc.sql("INSERT INTO images (corpus_id, image_id, image_uri, alt_text, batch_id, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(corpusId, imageId, uri, altText, batchId, Db.ts(now)).update() == 1;
    }

    public boolean imageExists(String corpusId, String imageId) {
        return jdbc.sql("SELECT COUNT(*) FROM images WHERE corpus_id = ? AND image_id = ?")
                .params(corpusId, imageId).query(Long.class).single() > 0;
    }

    /** One caption per (image, style, captioner version): the first one stays. */
    public boolean insertCaption(String corpusId, String imageId, CaptionStyle style, String captioner,
            String caption, String batchId, Instant now) {
        return jdbc.sql("INSERT INTO captions (corpus_id, image_id, style, captioner, caption, batch_id, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(corpusId, imageId, style.name(), captioner, caption, batchId, Db.ts(now)).update() == 1;
    }

    public boolean insertFailure(String corpusId, String imageId, String captioner, String code, String message,
            Instant now) {
        return jdbc.sql("INSERT INTO relabel_failures (corpus_id, image_id, captioner, code, message, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(corpusId, imageId, captioner, code, message, Db.ts(now)).update() == 1;
    }

    public int deleteFailure(String corpusId, String imageId, String captioner) {
        return jdbc.sql("DELETE FROM relabel_failures WHERE corpus_id = ? AND image_id = ? AND captioner = ?")
                .params(corpusId, imageId, captioner).update();
    }

    public List<CorpusSummary> corpora() {
        return jdbc.sql("SELECT c.corpus_id, c.created_at, "
                        + "(SELECT COUNT(*) FROM images i WHERE i.corpus_id = c.corpus_id) AS image_count "
                        + "FROM corpora c ORDER BY c.corpus_id")
                .query((rs, i) -> new CorpusSummary(rs.getString("corpus_id"), Db.instant(rs, "created_at"),
                        rs.getLong("image_count")))
                .list();
    }

    public Optional<CorpusSummary> corpus(String corpusId) {
        return jdbc.sql("SELECT c.corpus_id, c.created_at, "
                        + "(SELECT COUNT(*) FROM images i WHERE i.corpus_id = c.corpus_id) AS image_count "
                        + "FROM corpora c WHERE c.corpus_id = ?")
                .param(corpusId)
                .query((rs, i) -> new CorpusSummary(rs.getString("corpus_id"), Db.instant(rs, "created_at"),
                        rs.getLong("image_count")))
                .optional();
    }

    public long batchCount(String corpusId) {
        return jdbc.sql("SELECT COUNT(*) FROM ingest_batches WHERE corpus_id = ?").param(corpusId)
                .query(Long.class).single();
    }

    /** Caption counts by captioner version, then style. */
    public Map<String, Map<CaptionStyle, Long>> captionCounts(String corpusId) {
        Map<String, Map<CaptionStyle, Long>> counts = new TreeMap<>();
        jdbc.sql("SELECT captioner, style, COUNT(*) AS n FROM captions WHERE corpus_id = ? GROUP BY captioner, style")
                .param(corpusId)
                .query((rs, i) -> counts.computeIfAbsent(rs.getString("captioner"), c -> new EnumMap<>(CaptionStyle.class))
                        .put(CaptionStyle.valueOf(rs.getString("style")), rs.getLong("n")))
                .list();
        return counts;
    }

    /** Relabel failures by captioner version. */
    public Map<String, Long> failureCounts(String corpusId) {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.sql("SELECT captioner, COUNT(*) AS n FROM relabel_failures WHERE corpus_id = ? GROUP BY captioner")
                .param(corpusId)
                .query((rs, i) -> counts.put(rs.getString("captioner"), rs.getLong("n")))
                .list();
        return counts;
    }

    /** Images in the database's order of image_id, after {@code afterImageId} (null: from the start). */
    public List<ImageRow> images(String corpusId, String afterImageId, int limit) {
        String sql = "SELECT image_id, image_uri, alt_text FROM images WHERE corpus_id = ?"
                + (afterImageId == null ? "" : " AND image_id > ?") + " ORDER BY image_id LIMIT ?";
        var spec = jdbc.sql(sql).param(corpusId);
        if (afterImageId != null) {
            spec = spec.param(afterImageId);
        }
        return spec.param(limit)
                .query((rs, i) -> new ImageRow(rs.getString("image_id"), rs.getString("image_uri"),
                        rs.getString("alt_text")))
                .list();
    }

    /** One catalogued image. */
    public record ImageRow(String imageId, String uri, String altText) {
    }

    /**
     * Images in id order after {@code afterImageId} (null: from the start) that pass {@code filter}, whose caption
     * and failure conditions are about {@code filter.captioner()}.
     */
    public List<ImageRow> images(String corpusId, ImageFilter filter, String afterImageId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT i.image_id, i.image_uri, i.alt_text FROM images i WHERE i.corpus_id = ?");
        List<Object> params = new ArrayList<>(List.of(corpusId));
        if (afterImageId != null) {
            sql.append(" AND i.image_id > ?");
            params.add(afterImageId);
        }
        String caption = "SELECT 1 FROM captions c WHERE c.corpus_id = i.corpus_id AND c.image_id = i.image_id "
                + "AND c.captioner = ?";
        if (filter.has() != null) {
            sql.append(" AND EXISTS (").append(caption).append(" AND c.style = ?)");
            params.addAll(List.of(filter.captioner(), filter.has().name()));
        }
        if (filter.lacks() != null) {
            sql.append(" AND NOT EXISTS (").append(caption).append(" AND c.style = ?)");
            params.addAll(List.of(filter.captioner(), filter.lacks().name()));
        }
        if (filter.failure() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM relabel_failures f WHERE f.corpus_id = i.corpus_id "
                    + "AND f.image_id = i.image_id AND f.captioner = ?");
            params.add(filter.captioner());
            if (!filter.failure().equals(ImageFilter.ANY_FAILURE)) {
                sql.append(" AND f.code = ?");
                params.add(filter.failure());
            }
            sql.append(")");
        }
        if (filter.text() != null) {
            String like = "%" + filter.text().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%";
            sql.append(" AND (LOWER(i.alt_text) LIKE ? ESCAPE '\\'");
            params.add(like);
            if (filter.captioner() != null) {
                sql.append(" OR EXISTS (").append(caption).append(" AND LOWER(c.caption) LIKE ? ESCAPE '\\')");
                params.addAll(List.of(filter.captioner(), like));
            }
            sql.append(")");
        }
        sql.append(" ORDER BY i.image_id LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, i) -> new ImageRow(rs.getString("image_id"), rs.getString("image_uri"),
                        rs.getString("alt_text")))
                .list();
    }

    /**
     * Which images a caption browser page shows; null fields do not filter.
     *
     * @param captioner the captioner version ({@code captioner/name/version}) the other conditions are about
     * @param has a style it wrote for the image
     * @param lacks a style it did not write for the image
     * @param failure a relabel failure code it recorded for the image, or {@link #ANY_FAILURE}
     * @param text in the alt-text or one of its captions, case-insensitively
     */
    public record ImageFilter(String captioner, CaptionStyle has, CaptionStyle lacks, String failure, String text) {

        public static final String ANY_FAILURE = "any";
    }

    public Optional<ImageRow> image(String corpusId, String imageId) {
        return jdbc.sql("SELECT image_id, image_uri, alt_text FROM images WHERE corpus_id = ? AND image_id = ?")
                .params(corpusId, imageId)
                .query((rs, i) -> new ImageRow(rs.getString("image_id"), rs.getString("image_uri"),
                        rs.getString("alt_text")))
                .optional();
    }

    /** Captions by one captioner version for images with ids in [{@code fromImageId}, {@code toImageId}]. */
    public Map<String, Map<CaptionStyle, String>> captions(String corpusId, String captioner, String fromImageId,
            String toImageId) {
        Map<String, Map<CaptionStyle, String>> captions = new TreeMap<>();
        jdbc.sql("SELECT image_id, style, caption FROM captions WHERE corpus_id = ? AND captioner = ? "
                        + "AND image_id >= ? AND image_id <= ?")
                .params(corpusId, captioner, fromImageId, toImageId)
                .query((rs, i) -> captions.computeIfAbsent(rs.getString("image_id"), id -> new EnumMap<>(CaptionStyle.class))
                        .put(CaptionStyle.valueOf(rs.getString("style")), rs.getString("caption")))
                .list();
        return captions;
    }

    /** The failure code of each image whose relabel by {@code captioner} failed, ids in [{@code fromImageId}, {@code toImageId}]. */
    public Map<String, String> failureCodes(String corpusId, String captioner, String fromImageId, String toImageId) {
        Map<String, String> codes = new HashMap<>();
        jdbc.sql("SELECT image_id, code FROM relabel_failures WHERE corpus_id = ? AND captioner = ? "
                        + "AND image_id >= ? AND image_id <= ?")
                .params(corpusId, captioner, fromImageId, toImageId)
                .query((rs, i) -> codes.put(rs.getString("image_id"), rs.getString("code")))
                .list();
        return codes;
    }

    /**
     * Images with ids in [{@code fromImageId}, {@code toImageId}] that have a result by {@code captioner}: a
     * caption in every one of {@code styles}, or a recorded failure.
     */
    public Set<String> resolvedImageIds(String corpusId, String captioner, Set<CaptionStyle> styles,
            String fromImageId, String toImageId) {
        List<Object> params = new ArrayList<>(List.of(corpusId, captioner, fromImageId, toImageId));
        styles.forEach(style -> params.add(style.name()));
        params.add(styles.size());
        params.addAll(List.of(corpusId, captioner, fromImageId, toImageId));
        String placeholders = String.join(", ", Collections.nCopies(styles.size(), "?"));
        return new HashSet<>(jdbc.sql("SELECT image_id FROM captions WHERE corpus_id = ? AND captioner = ? "
                        + "AND image_id >= ? AND image_id <= ? AND style IN (" + placeholders + ") "
                        + "GROUP BY image_id HAVING COUNT(*) = ? "
                        + "UNION SELECT image_id FROM relabel_failures WHERE corpus_id = ? AND captioner = ? "
                        + "AND image_id >= ? AND image_id <= ?")
                .params(params).query(String.class).list());
    }

    /** Failures of a corpus (of one captioner version unless {@code captioner} is null), newest first. */
    public List<RelabelFailurePage.Failure> failures(String corpusId, String captioner, long offset, int limit) {
        List<Object> params = new ArrayList<>(List.of(corpusId));
        if (captioner != null) {
            params.add(captioner);
        }
        params.add(limit);
        params.add(offset);
        return jdbc.sql("SELECT f.image_id, i.image_uri, f.captioner, f.code, f.message, f.created_at "
                        + "FROM relabel_failures f JOIN images i ON i.corpus_id = f.corpus_id AND i.image_id = f.image_id "
                        + "WHERE f.corpus_id = ?" + (captioner == null ? "" : " AND f.captioner = ?")
                        + " ORDER BY f.created_at DESC, f.image_id, f.captioner LIMIT ? OFFSET ?")
                .params(params)
                .query((rs, i) -> new RelabelFailurePage.Failure(rs.getString("image_id"), rs.getString("image_uri"),
                        rs.getString("captioner"), rs.getString("code"), rs.getString("message"),
                        Db.instant(rs, "created_at")))
                .list();
    }

    public long failureCount(String corpusId, String captioner) {
        return jdbc.sql("SELECT COUNT(*) FROM relabel_failures WHERE corpus_id = ?"
                        + (captioner == null ? "" : " AND captioner = ?"))
                .params(captioner == null ? List.of(corpusId) : List.of(corpusId, captioner))
                .query(Long.class).single();
    }

    /** Relabel failures of one captioner version in a corpus, by error code. */
    public Map<String, Long> failureCodes(String corpusId, String captioner) {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.sql("SELECT code, COUNT(*) AS n FROM relabel_failures WHERE corpus_id = ? AND captioner = ? GROUP BY code")
                .params(corpusId, captioner)
                .query((rs, i) -> counts.put(rs.getString("code"), rs.getLong("n")))
                .list();
        return counts;
    }

    public void insertSnapshot(SnapshotManifest snapshot) {
        jdbc.sql("INSERT INTO snapshots (snapshot_id, corpus_id, captioner, image_count, caption_count, shard_count, "
                        + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(snapshot.snapshotId(), snapshot.corpusId(),
                        snapshot.captioner() == null ? null : snapshot.captioner().toString(),
                        snapshot.imageCount(), snapshot.captionCount(), snapshot.shards().size(),
                        Db.ts(snapshot.createdAt()))
                .update();
    }

    public List<SnapshotSummary> snapshots(String corpusId) {
        return jdbc.sql("SELECT snapshot_id, captioner, image_count, caption_count, shard_count, created_at "
                        + "FROM snapshots WHERE corpus_id = ? ORDER BY created_at, snapshot_id")
                .param(corpusId)
                .query((rs, i) -> new SnapshotSummary(rs.getString("snapshot_id"), rs.getString("captioner"),
                        rs.getLong("image_count"), rs.getLong("caption_count"), rs.getInt("shard_count"),
                        Db.instant(rs, "created_at")))
                .list();
    }
}
