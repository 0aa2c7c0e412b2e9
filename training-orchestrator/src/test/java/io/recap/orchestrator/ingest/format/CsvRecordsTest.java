package io.recap.orchestrator.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordsTest {

    @Test
    void quotedFieldsKeepCommasLineBreaksAndDoubledQuotesAndRecordsKeepTheLineTheyStartOn() throws IOException {
        List<CsvRecords.Record> records = all("a,\"b, c\",\"d\r\ne \"\"f\"\"\"\r\nlast,\"\",x\nno newline at end");

        assertThat(records).extracting(CsvRecords.Record::line).containsExactly(1, 3, 4);
        assertThat(records.get(0).fields()).containsExactly("a", "b, c", "d\r\ne \"f\"");
        assertThat(records.get(1).fields()).containsExactly("last", "", "x");
        assertThat(records.get(2).fields()).containsExactly("no newline at end");
        assertThat(records).allSatisfy(r -> assertThat(r.error()).isNull());
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsKeptAsSpreadsheetsWriteIt() throws IOException {
        assertThat(all("a 12\" record,x\n").get(0).fields()).containsExactly("a 12\" record", "x");
    }

    @Test
    void textAfterAClosingQuoteSpoilsOnlyItsRecordAndReadingResumesOnTheNextLine() throws IOException {
        List<CsvRecords.Record> records = all("\"a\"b,c\rnext,one\n\nfinal\n");

        assertThat(records.get(0).error()).contains("after the closing quote");
        assertThat(records.get(1)).isEqualTo(new CsvRecords.Record(2, List.of("next", "one"), null));
        assertThat(records.get(2).blank()).isTrue();
        assertThat(records.get(3)).isEqualTo(new CsvRecords.Record(4, List.of("final"), null));
    }

    @Test
    void aQuoteNeverClosedIsAnErrorAtTheLineItOpens() throws IOException {
        List<CsvRecords.Record> records = all("ok\n\"never,\nclosed\n");

        assertThat(records).hasSize(2);
        assertThat(records.get(1).line()).isEqualTo(2);
        assertThat(records.get(1).error()).isEqualTo("a quoted field is never closed");
    }

    private static List<CsvRecords.Record> all(String csv) throws IOException {
        CsvRecords reader = new CsvRecords(new StringReader(csv));
        List<CsvRecords.Record> records = new ArrayList<>();
        for (CsvRecords.Record r = reader.next(); r != null; r = reader.next()) {
            records.add(r);
        }
        return records;
    }
}
