package io.recap.orchestrator.registry;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.orchestrator.db.Db;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The registry's record of promotions (the store's PROMOTED pointer holds only the current one). */
public class PromotionRepository {

    private final JdbcClient jdbc;

    public PromotionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(ModelRef ref, Instant at) {
        jdbc.sql("INSERT INTO model_promotions (model_kind, model_name, model_version, promoted_at) VALUES (?, ?, ?, ?)")
                .params(ref.kind().name(), ref.name(), ref.version(), Db.ts(at)).update();
    }

    /** Promotions of one kind, newest first. */
    public List<Promotion> history(ModelKind kind, int limit) {
        return jdbc.sql("SELECT model_kind, model_name, model_version, promoted_at FROM model_promotions "
                        + "WHERE model_kind = ? ORDER BY id DESC LIMIT ?")
                .params(kind.name(), limit)
                .query((rs, i) -> new Promotion(new ModelRef(ModelKind.valueOf(rs.getString("model_kind")),
                        rs.getString("model_name"), rs.getString("model_version")), Db.instant(rs, "promoted_at")))
                .list();
    }

    /** One promotion. */
    public record Promotion(ModelRef model, Instant promotedAt) {
    }
}
