"""snp_identity.service_layer"""
