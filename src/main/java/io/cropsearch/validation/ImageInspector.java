package io.cropsearch.validation;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.jpeg.JpegSegmentMetadataReader;
import com.drew.imaging.png.PngMetadataReader;
import com.drew.imaging.webp.WebpMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.jpeg.JpegReader;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import io.cropsearch.errors.ApiException;

import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * Checks image bytes without trusting the caller: the format by its signature, the size in bytes, and width and height
 * read from the image header (no pixel decoding, so a hostile file costs little), and that no second header
 * disagrees with that one ({@link ImageHeaders}).
 */
final class ImageInspector {
    private static final List<JpegSegmentMetadataReader> FRAME_ONLY = List.of(new JpegReader());
    private ImageInspector() {
    }

    static SearchImage.Inline inspect(String field, byte[] bytes, ImageLimits limits) {
        if (bytes.length == 0) {
            throw ApiException.invalid(quote(field) + " is not a valid base64 image or https URL");
        }
        if (bytes.length > limits.maxBytes()) {
            throw ApiException.invalid(quote(field) + " must be at most " + limits.maxBytes() + " bytes");
        }
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == null) {
            throw ApiException.invalid(quote(field) + " must be a JPEG, PNG or WebP image");
        }
        // Before the size is read: a size from one of several disagreeing headers would mean nothing.
        if (ImageHeaders.overlong(format, bytes)) {
            throw ApiException.invalid(quote(field) + " is not a readable " + format + " image");
        }
        if (ImageHeaders.conflicting(format, bytes)) {
            throw ApiException.invalid(quote(field) + " has conflicting image headers");
        }
        int[] size = dimensions(format, bytes);
        if (size == null || size[0] <= 0 || size[1] <= 0) {
            throw ApiException.invalid(quote(field) + " is not a readable " + format + " image");
        }
        int min = limits.minSide();
        int max = limits.maxSide();
        if (size[0] < min || size[1] < min) {
            throw ApiException.invalid(quote(field) + " is " + size[0] + "x" + size[1] + " px; " + limits.kind()
                    + " must be at least " + min + " px a side");
        }
        if (size[0] > max || size[1] > max) {
            throw ApiException.invalid(quote(field) + " is " + size[0] + "x" + size[1] + " px; " + limits.kind()
                    + " must be at most " + max + " px a side"
                    + (limits.kind().equals("face crops") ? " (use /v2/face-recognition/search for full images)" : ""));
        }
        return new SearchImage.Inline(bytes, format, size[0], size[1]);
    }

    private static int[] dimensions(ImageFormat format, byte[] bytes) {
        try {
            return switch (format) {
                // Only the frame header is needed: the default readers would also parse Exif, ICC, XMP and more.
                case JPEG -> read(JpegMetadataReader.readMetadata(new ByteArrayInputStream(bytes), FRAME_ONLY),
                        JpegDirectory.class, JpegDirectory.TAG_IMAGE_WIDTH, JpegDirectory.TAG_IMAGE_HEIGHT);
                case PNG -> read(PngMetadataReader.readMetadata(new ByteArrayInputStream(bytes)), PngDirectory.class,
                        PngDirectory.TAG_IMAGE_WIDTH, PngDirectory.TAG_IMAGE_HEIGHT);
                case WEBP -> read(WebpMetadataReader.readMetadata(new ByteArrayInputStream(bytes)), WebpDirectory.class,
                        WebpDirectory.TAG_IMAGE_WIDTH, WebpDirectory.TAG_IMAGE_HEIGHT);
            };
        } catch (Exception | StackOverflowError e) {
            // Any parser failure on caller bytes means the image is not what it claims to be.
            return null;
        }
    }

    private static int[] read(Metadata metadata, Class<? extends Directory> type, int widthTag, int heightTag) {
        for (Directory directory : metadata.getDirectoriesOfType(type)) {
            Integer width = directory.getInteger(widthTag);
            Integer height = directory.getInteger(heightTag);
            if (width != null && height != null) {
                return new int[] {width, height};
            }
        }
        return null;
    }

    static String quote(String field) {
        return "\"" + field + "\"";
    }
}
