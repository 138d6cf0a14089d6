package org.mpool.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.mpool.Mpool;
import org.mpool.format.FormatVersion;

/**
 * Writes the golden image of the current format version into src/test/resources/golden — only
 * when asked ({@code -Dmpool.golden.write=true}; see {@link GoldenImages}), once per format
 * version: it refuses to replace a version's images unless {@code -Dmpool.golden.force=true}.
 */
@EnabledIfSystemProperty(named = "mpool.golden.write", matches = "true")
class GoldenImageWriterTest {
    @Test
    void writesTheGoldenImageOfTheCurrentFormatVersion() throws IOException {
        Path dir = GoldenImages.writeCurrent(GoldenImages.sourceRoot(), Boolean.getBoolean("mpool.golden.force"));
        try (GoldenImages.Image image = GoldenImages.load(FormatVersion.CURRENT, dir);
                Mpool pool = Mpool.open(image.capacityPath(), image.devices())) {
            GoldenChecks.verify(pool, image.manifest(), "the image just written to " + dir);
        }
        for (GoldenManifest.Device d :
                GoldenManifest.read(dir.resolve(GoldenImages.MANIFEST_FILE)).devices()) {
            long size = Files.size(dir.resolve(d.file()));
            System.out.printf("golden image: %s, %d bytes (%d uncompressed)%n", dir.resolve(d.file()), size, d.bytes());
            assertThat(size).as("%s compressed", d.file()).isLessThan(100_000);
        }
    }
}
