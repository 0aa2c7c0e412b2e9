import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.FileInputStream;
import java.lang.reflect.Method;
import java.util.*;

/** Offline structural check: every document must map to a typed fabric8 model with no unknown field anywhere. */
public class Validate {
    static int problems = 0;

    public static void main(String[] args) throws Exception {
        KubernetesSerialization serialization = new KubernetesSerialization();
        for (String file : args) {
            Object parsed = serialization.unmarshal(new FileInputStream(file));
            List<?> items = parsed instanceof List<?> l ? l : List.of(parsed);
            for (Object item : items) {
                HasMetadata resource = (HasMetadata) item;
                String id = resource.getApiVersion() + " " + resource.getKind() + " " + resource.getMetadata().getName();
                if (resource instanceof GenericKubernetesResource) {
                    System.out.println("UNTYPED " + id);
                    problems++;
                    continue;
                }
                walk(resource, id, Collections.newSetFromMap(new IdentityHashMap<>()));
                System.out.println("ok " + resource.getClass().getSimpleName() + " " + id);
            }
        }
        System.out.println(problems == 0 ? "no unknown fields" : problems + " problem(s)");
        System.exit(problems == 0 ? 0 : 1);
    }

    static void walk(Object o, String path, Set<Object> seen) throws Exception {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || !seen.add(o)) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) walk(e.getValue(), path + "." + e.getKey(), seen);
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object v : c) walk(v, path + "[" + i++ + "]", seen);
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8")) return;
        for (Method method : o.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || !method.getName().startsWith("get") || method.getName().equals("getClass")) continue;
            Object value = method.invoke(o);
            if (method.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    System.out.println("UNKNOWN " + path + ": " + extra.keySet());
                    problems++;
                }
                continue;
            }
            walk(value, path + "." + method.getName().substring(3), seen);
        }
    }
}
