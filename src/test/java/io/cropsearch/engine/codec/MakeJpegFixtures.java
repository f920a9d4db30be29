package io.cropsearch.engine.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the 4:2:0 and greyscale JPEG fixtures with {@link JpegEncoder} (jpeg-js only encodes 4:4:4), so that
 * tools/reference/make-jpeg-reference.js can decode them with jpeg-js for JpegDecoderTest. Not a test; run it from the
 * test classpath with the repository root as working directory, then run the node script.
 */
public final class MakeJpegFixtures {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of("src/test/resources/engine/jpeg");
        for (String name : new String[] {"sample2-face1", "sample1-face3-tall-odd"}) {
            Rgb crop = PngDecoder.decode(Files.readAllBytes(Path.of("src/test/resources/engine/crops", name + ".png")));
            Files.write(dir.resolve(name + ".420.q90.java.jpg"), JpegEncoder.encode(crop, 90, JpegEncoder.Chroma.YCBCR_420));
            Files.write(dir.resolve(name + ".grey.q90.java.jpg"), JpegEncoder.encode(crop, 90, JpegEncoder.Chroma.GREY));
        }
    }
}
