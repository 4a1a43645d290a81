package io.opcscraper.kura.emulator.internal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/** The metatype (OCD) of a factory PID, from whichever installed bundle declares it. */
final class FactoryMetatypes {

    private final BundleContext context;
    private final MetaTypeService metaType;

    FactoryMetatypes(BundleContext context, MetaTypeService metaType) {
        this.context = context;
        this.metaType = metaType;
    }

    /** The OCD of {@code factoryPid}; empty while no installed bundle declares it. */
    Optional<ObjectClassDefinition> ocd(String factoryPid) {
        for (Bundle bundle : this.context.getBundles()) {
            MetaTypeInformation info = this.metaType.getMetaTypeInformation(bundle);
            if (info != null && Arrays.asList(info.getFactoryPids()).contains(factoryPid)) {
                return Optional.ofNullable(info.getObjectClassDefinition(factoryPid, null));
            }
        }
        return Optional.empty();
    }

    /** The ids of the Password attributes of {@code factoryPid} (none while its metatype is unknown). */
    Set<String> passwords(String factoryPid) {
        Set<String> ids = new HashSet<>();
        ocd(factoryPid).ifPresent(ocd -> {
            for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
                if (ad.getType() == AttributeDefinition.PASSWORD) {
                    ids.add(ad.getID());
                }
            }
        });
        return ids;
    }
}
