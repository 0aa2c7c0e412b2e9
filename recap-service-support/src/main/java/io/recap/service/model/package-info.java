/** Loading the promoted model of a kind from the model store and following promotions. */
package io.recap.service.model;
