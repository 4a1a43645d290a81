package io.opcscraper.config.metatype;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A Kura metatype file read as plain data: namespace, OCD, attribute definitions and designates.
 * Used by tests and tools to compare the metatype with the options classes; the runtime reads
 * metatype through the MetaTypeService.
 */
public final class MetatypeDocument {

    /** The namespace the Kura console expects. */
    public static final String NAMESPACE = "http://www.osgi.org/xmlns/metatype/v1.2.0";

    /** An {@code AD} element. */
    public record Attribute(String id, String name, String description, String type, String cardinality,
            String required, String defaultValue, String min, String max, Map<String, String> options) {
    }

    /** A {@code Designate} element with its {@code Object ocdref}. */
    public record Designate(String pid, String factoryPid, String ocdRef) {
    }

    private final String namespace;
    private final String ocdId;
    private final String ocdName;
    private final String ocdDescription;
    private final List<Attribute> attributes;
    private final List<Designate> designates;

    private MetatypeDocument(String namespace, String ocdId, String ocdName, String ocdDescription,
            List<Attribute> attributes, List<Designate> designates) {
        this.namespace = namespace;
        this.ocdId = ocdId;
        this.ocdName = ocdName;
        this.ocdDescription = ocdDescription;
        this.attributes = List.copyOf(attributes);
        this.designates = List.copyOf(designates);
    }

    public static MetatypeDocument parse(InputStream in) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            doc = builder.parse(in);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("not a well-formed metatype document: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        List<Element> ocds = children(root, "OCD");
        if (ocds.size() != 1) {
            throw new IOException("expected exactly one OCD element, found " + ocds.size());
        }
        Element ocd = ocds.get(0);
        List<Attribute> attributes = new ArrayList<>();
        for (Element ad : children(ocd, "AD")) {
            Map<String, String> options = new LinkedHashMap<>();
            for (Element option : children(ad, "Option")) {
                options.put(option.getAttribute("value"), option.getAttribute("label"));
            }
            attributes.add(new Attribute(attr(ad, "id"), attr(ad, "name"), attr(ad, "description"), attr(ad, "type"),
                    attr(ad, "cardinality"), attr(ad, "required"), attr(ad, "default"), attr(ad, "min"),
                    attr(ad, "max"), options));
        }
        List<Designate> designates = new ArrayList<>();
        for (Element designate : children(root, "Designate")) {
            List<Element> objects = children(designate, "Object");
            designates.add(new Designate(attr(designate, "pid"), attr(designate, "factoryPid"),
                    objects.isEmpty() ? null : attr(objects.get(0), "ocdref")));
        }
        return new MetatypeDocument(root.getNamespaceURI(), attr(ocd, "id"), attr(ocd, "name"),
                attr(ocd, "description"), attributes, designates);
    }

    private static String attr(Element element, String name) {
        return element.hasAttribute(name) ? element.getAttribute(name) : null;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element) {
                String name = node.getLocalName() != null ? node.getLocalName() : node.getNodeName();
                if (localName.equals(name)) {
                    found.add((Element) node);
                }
            }
        }
        return found;
    }

    public String namespace() {
        return this.namespace;
    }

    public String ocdId() {
        return this.ocdId;
    }

    public String ocdName() {
        return this.ocdName;
    }

    public String ocdDescription() {
        return this.ocdDescription;
    }

    public List<Attribute> attributes() {
        return this.attributes;
    }

    public List<Designate> designates() {
        return this.designates;
    }
}
