package io.cropsearch.nativeimage;

import com.fasterxml.jackson.databind.JsonNode;
import io.cropsearch.entrypoints.CropSearchResource;
import io.cropsearch.entrypoints.FaceMatchResource;
import io.cropsearch.entrypoints.GalleryResource;
import io.cropsearch.entrypoints.RecordsResource;
import io.cropsearch.model.ErrorBody;
import io.cropsearch.search.verifik.UpstreamSearchBody;
import io.cropsearch.search.verifik.VerifikApi;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every type Jackson (de)serialises by reflection must be registered for a native image. Bodies here are mostly trees
 * ({@link JsonNode}) or raw bytes, which need nothing; any bean or record that crosses a JAX-RS resource or the REST
 * client, and the error body, must carry {@link RegisterForReflection}.
 */
class ReflectionRegistrationTest {
    private static final Set<Class<?>> NEEDS_NOTHING = Set.of(byte[].class, String.class, void.class, Response.class,
            Object.class);

    @Test
    void everySerialisedBeanIsRegistered() {
        // Serialised by our own ObjectMapper calls: the error body, and the upstream body (sent as bytes).
        List<Class<?>> types = new ArrayList<>(List.of(ErrorBody.class, UpstreamSearchBody.class));
        int methods = 0;
        for (Class<?> endpoint : List.of(CropSearchResource.class, GalleryResource.class, FaceMatchResource.class,
                RecordsResource.class, VerifikApi.class)) {
            for (Method method : endpoint.getDeclaredMethods()) {
                // A default method of the client interface (VerifikApi.call) is plain Java, not an HTTP call.
                if (!Modifier.isPublic(method.getModifiers()) || method.isDefault()) {
                    continue;
                }
                methods++;
                collect(method.getGenericReturnType(), types);
                for (Type parameter : method.getGenericParameterTypes()) {
                    collect(parameter, types);
                }
            }
        }
        assertTrue(methods > 5, "scanned " + methods + " endpoint methods");
        for (Class<?> type : types) {
            assertTrue(type.isAnnotationPresent(RegisterForReflection.class),
                    type.getName() + " is serialised by Jackson but not registered for reflection");
        }
    }

    private static void collect(Type type, List<Class<?>> into) {
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                collect(argument, into);
            }
            return;
        }
        if (type instanceof Class<?> c && !c.isPrimitive() && !NEEDS_NOTHING.contains(c)
                && !JsonNode.class.isAssignableFrom(c) && !c.getName().startsWith("java.")
                && !c.getName().startsWith("io.smallrye.mutiny") && !c.getName().startsWith("jakarta.")
                && !into.contains(c)) {
            into.add(c);
            // A record's components are serialised with it (RecordsResource.Page holds RecordSummary, ...).
            if (c.isRecord()) {
                for (java.lang.reflect.RecordComponent component : c.getRecordComponents()) {
                    collect(component.getGenericType(), into);
                }
            }
        }
    }
}
