package io.recap.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.kafka.KafkaAcls.GroupGrant;
import io.recap.core.kafka.KafkaAcls.Operation;
import io.recap.core.kafka.KafkaAcls.TopicGrant;
import io.recap.core.messages.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@link KafkaAcls} is the one definition; Compose's kafka-init, the Strimzi KafkaUsers and docs/security.md restate
 * it where Java cannot reach. Each restatement is read back here and must grant exactly the same, so a grant added
 * in one place and forgotten in another fails the build instead of a deployment.
 */
class KafkaAclsParityTest {

    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    /** What a restatement grants, in KafkaAcls' terms. */
    private record Grants(Set<TopicGrant> topics, Set<GroupGrant> groups) {
        Grants() {
            this(new HashSet<>(), new HashSet<>());
        }
    }

    private static Grants defined() {
        return new Grants(new HashSet<>(KafkaAcls.topicGrants()), new HashSet<>(KafkaAcls.groupGrants()));
    }

    @Test
    void theDefinitionCoversEveryPlatformTopicAndEveryPrincipalHasAGrant() {
        assertThat(KafkaAcls.topics()).contains(Topics.CORPUS_INGEST, Topics.RELABEL_REQUESTS, Topics.RELABEL_RESULTS,
                Topics.RELABEL_DLQ, Topics.TRAINING_EVENTS, Topics.MODEL_EVENTS, Topics.CORPUS_INGEST_DLQ,
                Topics.RELABEL_RESULTS_DLQ, Topics.TRAINING_EVENTS_DLQ);
        for (String principal : KafkaAcls.principals()) {
            assertThat(KafkaAcls.topicGrants()).as(principal).anyMatch(grant -> grant.principal().equals(principal));
        }
        // The two rules: results come only from workers, training events only from trainers and the
        // orchestrator's own executor.
        assertThat(KafkaAcls.topicGrants()).filteredOn(grant -> grant.operation() == Operation.WRITE)
                .filteredOn(grant -> grant.topic().equals(Topics.RELABEL_RESULTS))
                .extracting(TopicGrant::principal).containsExactly(KafkaAcls.RELABEL_WORKER);
        assertThat(KafkaAcls.topicGrants()).filteredOn(grant -> grant.operation() == Operation.WRITE)
                .filteredOn(grant -> grant.topic().equals(Topics.TRAINING_EVENTS))
                .extracting(TopicGrant::principal).containsExactlyInAnyOrder(KafkaAcls.TRAINER, KafkaAcls.ORCHESTRATOR);
    }

    @Test
    void composeKafkaInitGrantsExactlyKafkaAclsAndCreatesEveryUser() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(repository().resolve("docker-compose.yml")));
        String script = scriptOf(compose, "kafka-init");

        Grants grants = new Grants();
        Map<String, String> variables = new HashMap<>();
        Set<String> users = new HashSet<>();
        for (String raw : script.split("\n")) {
            String line = raw.strip();
            Matcher assignment = Pattern.compile("^([a-z_]+)=\"([^\"]*)\"$").matcher(line);
            if (assignment.matches()) {
                variables.put(assignment.group(1), assignment.group(2));
                continue;
            }
            String[] tokens = line.split("\\s+");
            if (!Set.of("acl", "group_acl", "user").contains(tokens[0])) {
                continue;
            }
            List<String> words = new ArrayList<>();
            for (String word : tokens) {
                // Compose's $$ is a literal $; an unquoted $name is split into words by the shell.
                String value = word.startsWith("$$") ? variables.get(word.substring(2)) : word;
                if (value == null) {
                    throw new AssertionError("kafka-init uses an unknown variable: " + line);
                }
                words.addAll(Arrays.asList(value.split("\\s+")));
            }
            switch (words.get(0)) {
                case "acl" -> words.subList(3, words.size()).forEach(topic -> grants.topics().add(new TopicGrant(
                        words.get(1), topic, Operation.valueOf(words.get(2).toUpperCase(Locale.ROOT)))));
                case "group_acl" -> grants.groups().add(new GroupGrant(words.get(1), words.get(2),
                        words.get(3).equals("prefixed")));
                case "user" -> users.add(words.get(1));
                default -> { }
            }
        }

        assertThat(grants).isEqualTo(defined());
        assertThat(users).containsExactlyInAnyOrderElementsOf(KafkaAcls.principals());
    }

    @Test
    void strimziKafkaUsersGrantExactlyKafkaAcls() throws Exception {
        Grants grants = new Grants();
        Set<String> users = new HashSet<>();
        for (Object document : new Yaml().loadAll(Files.readString(repository().resolve("k8s/kafka/kafka-users.yaml")))) {
            if (document == null) {
                continue;
            }
            Map<String, Object> user = map(document);
            assertThat(user.get("kind")).isEqualTo("KafkaUser");
            String name = (String) map(user.get("metadata")).get("name");
            users.add(name);
            Map<String, Object> spec = map(user.get("spec"));
            assertThat(map(spec.get("authentication")).get("type")).isEqualTo("scram-sha-512");
            for (Object entry : (List<?>) map(spec.get("authorization")).get("acls")) {
                Map<String, Object> acl = map(entry);
                Map<String, Object> resource = map(acl.get("resource"));
                String resourceName = (String) resource.get("name");
                for (Object operation : (List<?>) acl.get("operations")) {
                    if (resource.get("type").equals("group")) {
                        assertThat(operation).isEqualTo("Read");
                        grants.groups().add(new GroupGrant(name, resourceName, resource.get("patternType").equals("prefix")));
                    } else {
                        assertThat(resource.get("patternType")).isEqualTo("literal");
                        grants.topics().add(new TopicGrant(name, resourceName,
                                Operation.valueOf(((String) operation).toUpperCase(Locale.ROOT))));
                    }
                }
            }
        }

        assertThat(grants).isEqualTo(defined());
        assertThat(users).containsExactlyInAnyOrderElementsOf(KafkaAcls.principals());
    }

    @Test
    void theSecurityDocsTableGrantsExactlyKafkaAcls() throws Exception {
        String docs = Files.readString(repository().resolve("docs/security.md"));
        String section = docs.substring(docs.indexOf("## Kafka"));
        section = section.substring(0, section.indexOf("\n## ", 1) < 0 ? section.length() : section.indexOf("\n## ", 1));

        Grants grants = new Grants();
        for (String line : section.split("\n")) {
            String[] cells = line.split("\\|");
            if (cells.length < 4 || !cells[1].strip().startsWith("`")) {
                continue;
            }
            List<String> principal = backticked(cells[1]);
            if (principal.size() != 1 || !KafkaAcls.principals().contains(principal.get(0))) {
                continue; // the variables table
            }
            for (String operation : cells[2].split(",")) {
                for (String item : backticked(cells[3])) {
                    if (operation.strip().equals("group")) {
                        boolean prefixed = item.endsWith("*");
                        grants.groups().add(new GroupGrant(principal.get(0),
                                prefixed ? item.substring(0, item.length() - 1) : item, prefixed));
                    } else {
                        grants.topics().add(new TopicGrant(principal.get(0), item,
                                Operation.valueOf(operation.strip().toUpperCase(Locale.ROOT))));
                    }
                }
            }
        }

        assertThat(grants).isEqualTo(defined());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static String scriptOf(Map<String, Object> compose, String service) {
        List<?> command = (List<?>) map(map(compose.get("services")).get(service)).get("command");
        return (String) command.get(command.size() - 1);
    }

    private static List<String> backticked(String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = BACKTICKED.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }
}
