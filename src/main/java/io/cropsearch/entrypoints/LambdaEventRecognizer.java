package io.cropsearch.entrypoints;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * The other half of {@link LambdaEventDispatch}: Quarkus' Lambda runtime reads every event as an
 * {@code APIGatewayV2HTTPEvent} with a copy of the application's ObjectMapper, which this customizer reaches. Events with
 * a {@code Records} array (what S3 notifications look like, and no API Gateway event has) become
 * {@link LambdaEventDispatch.S3Delivery}; anything else goes through Jackson's own deserializer unchanged.
 */
@Singleton
public class LambdaEventRecognizer implements ObjectMapperCustomizer {

    @Override
    public void customize(com.fasterxml.jackson.databind.ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("crop-search-lambda-events");
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                          JsonDeserializer<?> deserializer) {
                return description.getBeanClass() == APIGatewayV2HTTPEvent.class
                        ? new RecordsAware(deserializer) : deserializer;
            }
        });
        mapper.registerModule(module);
    }

    static final class RecordsAware extends DelegatingDeserializer {

        RecordsAware(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new RecordsAware(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode event = context.readTree(parser);
            JsonNode records = event.get("Records");
            if (records != null && records.isArray()) {
                return new LambdaEventDispatch.S3Delivery(records);
            }
            try (JsonParser again = event.traverse(parser.getCodec())) {
                again.nextToken();
                return _delegatee.deserialize(again, context);
            }
        }
    }
}
