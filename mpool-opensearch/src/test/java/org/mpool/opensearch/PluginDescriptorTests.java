package org.mpool.opensearch;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opensearch.Version;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.test.BouncyCastleThreadFilter;
import org.opensearch.test.OpenSearchTestCase;

/**
 * The descriptor that goes into the plugin zip (target/plugin-metadata, filtered by Maven) is one
 * OpenSearch's plugin loader accepts for this version, naming this plugin's class.
 */
@ThreadLeakFilters(filters = {BouncyCastleThreadFilter.class, MpoolThreadFilter.class})
public class PluginDescriptorTests extends OpenSearchTestCase {
    public void testOpenSearchReadsTheDescriptor() throws Exception {
        Path metadata = Path.of("target", "plugin-metadata");
        Path dir = createTempDir();
        Files.copy(
                metadata.resolve(PluginInfo.OPENSEARCH_PLUGIN_PROPERTIES),
                dir.resolve(PluginInfo.OPENSEARCH_PLUGIN_PROPERTIES));
        PluginInfo info = PluginInfo.readFromProperties(dir);
        assertEquals("mpool-store", info.getName());
        assertEquals(MpoolStorePlugin.class.getName(), info.getClassname());
        assertEquals("25", info.getJavaVersion());
        assertEquals(
                Version.CURRENT.toString(),
                info.getOpenSearchVersionRangesString().replace("=", ""));
        assertTrue(
                "the zip's policy is there",
                Files.readString(metadata.resolve(PluginInfo.OPENSEARCH_PLUGIN_POLICY))
                        .contains("enableNativeAccess"));
    }
}
